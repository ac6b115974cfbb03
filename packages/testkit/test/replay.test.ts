import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeExchange, fixturePath, loadSession, parseSession } from '../src/index.js'
import { connect } from './support/client.js'

let fx: FakeExchange
afterEach(async () => {
  await fx?.close()
})

const session = parseSession(
  [
    '{"t":1000,"dir":"in","data":{"hello":1}}',
    '{"t":1001,"dir":"out","data":{"subscribe":"a"}}',
    '{"t":1002,"dir":"in","data":{"ack":"a"}}',
    '{"t":1003,"dir":"out","data":{"subscribe":"b"}}',
    '{"t":1004,"dir":"in","data":{"ack":"b"}}',
    '{"t":1005,"dir":"rest","url":"https://x/y","data":{}}',
    '{"t":1006,"dir":"in","data":{"last":true}}',
  ].join('\n'),
)

describe('FakeExchange.replay', () => {
  it('sends in frames in order, waiting at each out line for that many client messages', async () => {
    fx = await FakeExchange.start()
    const replay = fx.replay(session)
    const client = await connect(fx.wsUrl)
    expect(await client.waitForFrames(1)).toEqual(['{"hello":1}'])
    const conn = await fx.waitForConnection()
    expect(replay.isFinished(conn)).toBe(false)
    client.ws.send('one')
    await client.waitForFrames(2)
    expect(client.received[1]).toBe('{"ack":"a"}')
    client.ws.send('two')
    await replay.finished(conn)
    await client.waitForFrames(4)
    expect(client.received).toEqual(['{"hello":1}', '{"ack":"a"}', '{"ack":"b"}', '{"last":true}'])
    expect(replay.isFinished(conn)).toBe(true)
  })

  it('replays from the start on every new connection', async () => {
    fx = await FakeExchange.start()
    fx.replay(session, { waitForClient: false })
    const a = await connect(fx.wsUrl)
    const b = await connect(fx.wsUrl)
    expect(await a.waitForFrames(4)).toEqual(await b.waitForFrames(4))
  })

  it('replays only to connections whose path matches', async () => {
    fx = await FakeExchange.start()
    fx.replay(session, { waitForClient: false, path: '/v2' })
    fx.onConnection((conn) => conn.send('greeting'))
    const other = await connect(`${fx.wsUrl}/v1`)
    const matching = await connect(`${fx.wsUrl}/v2?x=1`)
    await matching.waitForFrames(5)
    expect(matching.received.filter((f) => f !== 'greeting')).toEqual([
      '{"hello":1}',
      '{"ack":"a"}',
      '{"ack":"b"}',
      '{"last":true}',
    ])
    expect(await other.waitForFrames(1)).toEqual(['greeting'])
    expect(fx.connections[0]!.sentCount).toBe(1)
  })

  it('serves each connection only the frames its path carries (a venue routing streams by path)', async () => {
    fx = await FakeExchange.start()
    // Frames naming "ack" go to /acks connections, the rest to /other ones: one replay, two routes.
    const replay = fx.replay(session, { waitForClient: false, serves: (frame, path) => JSON.stringify(frame.data).includes('ack') === path.startsWith('/acks') })
    const acks = await connect(`${fx.wsUrl}/acks?x=1`)
    const other = await connect(`${fx.wsUrl}/other`)
    expect(await acks.waitForFrames(2)).toEqual(['{"ack":"a"}', '{"ack":"b"}'])
    expect(await other.waitForFrames(2)).toEqual(['{"hello":1}', '{"last":true}'])
    for (const connection of fx.connections) await replay.finished(connection)
    expect(acks.received).toHaveLength(2)
    expect(other.received).toHaveLength(2)
    expect(fx.connections.map((connection) => replay.position(connection))).toEqual([session.length, session.length])
  })

  it('paces frames by their recorded time divided by speed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    try {
      fx = await FakeExchange.start()
      fx.replay(parseSession('{"t":0,"dir":"in","data":1}\n{"t":120,"dir":"in","data":2}'), { speed: 2 })
      const client = await connect(fx.wsUrl)
      await client.waitForFrames(1)
      const conn = await fx.waitForConnection()
      await vi.advanceTimersByTimeAsync(59)
      expect(conn.sentCount).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(conn.sentCount).toBe(2)
      expect(await client.waitForFrames(2)).toEqual(['1', '2'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('loops when asked, without waiting for the client again', async () => {
    fx = await FakeExchange.start()
    fx.replay(session, { loop: true, waitForClient: false })
    const client = await connect(fx.wsUrl)
    const frames = await client.waitForFrames(9)
    expect(frames[4]).toBe('{"hello":1}')
    client.ws.terminate()
  })

  it('stops replaying to a stalled connection', async () => {
    fx = await FakeExchange.start()
    const replay = fx.replay(session)
    const client = await connect(fx.wsUrl)
    await client.waitForFrames(1)
    const conn = await fx.waitForConnection()
    conn.stall()
    client.ws.send('one')
    client.ws.send('two')
    await replay.finished(conn)
    expect(conn.sentCount).toBe(1)
  })

  it('replays the bundled Binance capture to a client that subscribed through the URL', async () => {
    const binance = loadSession(fixturePath('spot-2021-10-12.jsonl'))
    const inFrames = binance.filter((f) => f.dir === 'in').length
    fx = await FakeExchange.start()
    fx.replay(binance)
    fx.restFromSession(binance)
    const client = await connect(`${fx.wsUrl}/stream?streams=nknusdt@depth@100ms`)
    const frames = await client.waitForFrames(inFrames)
    expect(JSON.parse(frames[0]!).stream).toBe('nknusdt@depth@100ms')
    const depth = (await (await fetch(`${fx.restUrl}/api/v3/depth?symbol=NKNUSDT&limit=1000`)).json()) as {
      lastUpdateId: number
    }
    expect(depth.lastUpdateId).toBe(499869752)
  })

  it('loads sessions from a file URL and rejects malformed lines with the line number', () => {
    const kraken = loadSession(new URL(`file://${fixturePath('v2-2021-04-17.jsonl')}`))
    expect(kraken).toHaveLength(2149)
    expect(kraken[1]!.dir).toBe('out')
    expect(() => parseSession('{"t":1,"dir":"in","data":1}\nnot json')).toThrow(/line 2/)
    expect(() => parseSession('{"t":1,"dir":"sideways"}')).toThrow(/line 1/)
    expect(() => fixturePath('nope.jsonl')).toThrow(/nope\.jsonl/)
  })

  it('replays the bundled Kraken capture once the client has sent its three subscriptions', async () => {
    const kraken = loadSession(fixturePath('v2-2021-04-17.jsonl'))
    const inFrames = kraken.filter((f) => f.dir === 'in').length
    fx = await FakeExchange.start()
    const replay = fx.replay(kraken)
    const client = await connect(fx.wsUrl)
    await client.waitForFrames(1)
    const conn = await fx.waitForConnection()
    client.ws.send('{"method":"subscribe","params":{"channel":"instrument"}}')
    await client.waitForFrames(3)
    client.ws.send('{"method":"subscribe","params":{"channel":"book"}}')
    expect(replay.isFinished(conn)).toBe(false)
    client.ws.send('{"method":"subscribe","params":{"channel":"trade"}}')
    const frames = await client.waitForFrames(inFrames)
    expect(frames).toHaveLength(inFrames)
    expect(JSON.parse(frames.at(-1)!)).toEqual(kraken.filter((f) => f.dir === 'in').at(-1)!.data)
  })
})
