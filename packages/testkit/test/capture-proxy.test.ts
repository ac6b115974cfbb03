import { afterEach, describe, expect, it } from 'vitest'
import { CaptureProxy, FakeExchange, parseCapture, parseSession } from '../src/index.js'
import { connect } from './support/client.js'

let upstream: FakeExchange | undefined
let proxy: CaptureProxy | undefined
afterEach(async () => {
  await proxy?.close()
  await upstream?.close()
  proxy = upstream = undefined
})

/** A proxy in front of `upstream` writing into the returned array. */
async function startProxy(meta?: Parameters<typeof CaptureProxy.start>[0]['meta']): Promise<string[]> {
  const lines: string[] = []
  proxy = await CaptureProxy.start({ wsUrl: `${upstream!.wsUrl}/base`, restUrl: `${upstream!.restUrl}/base`, write: (line) => lines.push(line), ...(meta ? { meta } : {}) })
  return lines
}

describe('CaptureProxy', () => {
  it('forwards a socket to the upstream path and records every frame both ways, text, non-JSON and binary', async () => {
    upstream = await FakeExchange.start()
    upstream.onConnection((conn) => {
      conn.send({ hello: 1 })
      conn.forEachMessage((message) => {
        conn.send({ echo: message })
        conn.send('not json {')
        void conn.sendAndDrain(Buffer.from([0, 1, 2, 255]))
      })
    })
    const lines = await startProxy()
    const client = await connect(`${proxy!.wsUrl}/ws?x=1`)
    await client.waitForFrames(1)
    client.ws.send('{"subscribe": "a"}')
    await client.waitForFrames(4)
    const conn = await upstream.waitForConnection()
    expect(conn.path).toBe('/base/ws?x=1')
    expect(conn.messages).toEqual(['{"subscribe": "a"}'])
    expect(client.received.slice(0, 3)).toEqual(['{"hello":1}', '{"echo":"{\\"subscribe\\": \\"a\\"}"}', 'not json {'])
    await proxy!.close()

    const frames = parseSession(lines.join(''))
    const url = `${upstream.wsUrl}/base/ws?x=1`
    expect(frames.map(({ t, ...rest }) => rest)).toEqual([
      { dir: 'out', conn: 1, url, data: null },
      { dir: 'in', conn: 1, data: { hello: 1 } },
      // The client's spacing is kept in raw: replaying re-sends these exact bytes.
      { dir: 'out', conn: 1, data: { subscribe: 'a' }, raw: '{"subscribe": "a"}' },
      { dir: 'in', conn: 1, data: { echo: '{"subscribe": "a"}' } },
      { dir: 'in', conn: 1, data: null, raw: 'not json {' },
      { dir: 'in', conn: 1, data: null, raw: Buffer.from([0, 1, 2, 255]).toString('base64'), binary: true },
    ])
    expect(frames.every((frame, i) => Number.isFinite(frame.t) && (i === 0 || frame.t >= frames[i - 1]!.t))).toBe(true)
    expect(proxy!.stats).toMatchObject({ framesIn: 4, framesOut: 1, restCalls: 0, connections: 1 })
    expect(proxy!.stats.bytes).toBe(Buffer.byteLength(lines.join('')))
  })

  it('records REST bodies with the real URL and a non-200 status, and answers the client with them', async () => {
    upstream = await FakeExchange.start()
    upstream.route('GET', '/base/api/depth', (request) => ({ body: { symbol: request.query.get('symbol'), lastUpdateId: 12345678901234567890n.toString() } }))
    upstream.route('GET', '/base/api/big', () => ({ headers: { 'Content-Type': 'application/json' }, body: '{"id":12345678901234567890}' }))
    upstream.route('GET', '/base/api/missing', () => ({ status: 404, body: { code: -1121, msg: 'Invalid symbol.' } }))
    const lines = await startProxy({ exchange: 'toy', symbols: ['AAA-BBB'], channels: ['book'] })
    const depth = await fetch(`${proxy!.restUrl}/api/depth?symbol=AAA&limit=10`)
    expect(await depth.json()).toEqual({ symbol: 'AAA', lastUpdateId: '12345678901234567890' })
    expect(await (await fetch(`${proxy!.restUrl}/api/big`)).text()).toBe('{"id":12345678901234567890}')
    const missing = await fetch(`${proxy!.restUrl}/api/missing`)
    expect(missing.status).toBe(404)
    await proxy!.close()

    const { meta, frames } = parseCapture(lines.join(''))
    expect(meta).toEqual({ format: 1, exchange: 'toy', symbols: ['AAA-BBB'], channels: ['book'], wsUrl: `${upstream.wsUrl}/base`, restUrl: `${upstream.restUrl}/base` })
    expect(frames.map(({ t, ...rest }) => rest)).toEqual([
      { dir: 'rest', url: `${upstream.restUrl}/base/api/depth?symbol=AAA&limit=10`, data: { symbol: 'AAA', lastUpdateId: '12345678901234567890' } },
      { dir: 'rest', url: `${upstream.restUrl}/base/api/big`, data: { id: 12345678901234567000 }, raw: '{"id":12345678901234567890}' },
      { dir: 'rest', url: `${upstream.restUrl}/base/api/missing`, status: 404, data: { code: -1121, msg: 'Invalid symbol.' } },
    ])
    expect(proxy!.stats.restCalls).toBe(3)
  })

  it('refuses the client with the status the upstream refused its socket with', async () => {
    upstream = await FakeExchange.start()
    upstream.refuseConnections(1)
    await startProxy()
    await expect(connect(`${proxy!.wsUrl}/ws`)).rejects.toThrow(/503/)
    expect(proxy!.stats.connections).toBe(0)
  })

  it('closes the client when the upstream drops the socket', async () => {
    upstream = await FakeExchange.start()
    await startProxy()
    const client = await connect(`${proxy!.wsUrl}/ws`)
    const conn = await upstream.waitForConnection()
    conn.close(4001, 'bye')
    expect(await client.closed).toBe(4001)
  })

  it('rejects a base URL of the wrong protocol, naming it', async () => {
    await expect(CaptureProxy.start({ wsUrl: 'https://x.example', restUrl: 'https://x.example', write: () => {} })).rejects.toThrow('"https://x.example"')
  })
})

describe('parseCapture', () => {
  it('names the line of a malformed capture line', () => {
    const text = '{"t":1,"dir":"meta","data":{"format":1,"exchange":"x","symbols":[],"channels":[],"wsUrl":"ws://a","restUrl":"http://a"}}\n{"t":2,"dir":"in","data":{}}\n{"t":3,"dir":"in",\n'
    expect(() => parseCapture(text)).toThrow('Session line 3 is not JSON')
  })

  it('names the line of a meta line that lacks a field, and refuses a meta line after the first', () => {
    expect(() => parseCapture('\n{"t":1,"dir":"meta","data":{"format":1,"exchange":"x"}}')).toThrow('Session line 2 is a meta line whose symbols and channels')
    expect(() => parseSession('{"t":1,"dir":"in","data":{}}\n{"t":1,"dir":"meta","data":{}}')).toThrow('Session line 2 needs a numeric "t" and "dir" of in, out or rest')
  })

  it('reads a session without a meta line as frames only', () => {
    expect(parseCapture('{"t":1,"dir":"in","data":{"a":1}}')).toEqual({ frames: [{ t: 1, dir: 'in', data: { a: 1 } }] })
  })
})
