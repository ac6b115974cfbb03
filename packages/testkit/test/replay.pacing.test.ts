import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeExchange, parseSession } from '../src/index.js'
import { connect } from './support/client.js'

let fx: FakeExchange
afterEach(async () => {
  vi.useRealTimers()
  await fx?.close()
})

const lines = (...frames: object[]): string => frames.map((frame) => JSON.stringify(frame)).join('\n')

describe('FakeExchange.replay pacing', () => {
  it('measures pacing from the first in frame, so rest and out lines captured minutes earlier delay nothing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    fx = await FakeExchange.start()
    const session = lines(
      { t: 0, dir: 'rest', url: 'https://x.test/depth', data: {} },
      { t: 1, dir: 'out', url: 'wss://x.test/stream', data: null },
      { t: 600_000, dir: 'in', data: 1 },
      { t: 600_120, dir: 'in', data: 2 },
    )
    fx.replay(parseSession(session), { speed: 1 })
    const client = await connect(fx.wsUrl)
    expect(await client.waitForFrames(1)).toEqual(['1'])
    const conn = await fx.waitForConnection()
    await vi.advanceTimersByTimeAsync(119)
    expect(conn.sentCount).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(await client.waitForFrames(2)).toEqual(['1', '2'])
  })

  it('holds every connection before a paused frame until resumed, and reports each one\'s position', async () => {
    fx = await FakeExchange.start()
    const replay = fx.replay(parseSession(lines(...[1, 2, 3, 4].map((n) => ({ t: n, dir: 'in', data: n })))))
    const resume = replay.pauseAt(2)
    const a = await connect(fx.wsUrl)
    const b = await connect(fx.wsUrl)
    expect(await a.waitForFrames(2)).toEqual(['1', '2'])
    expect(await b.waitForFrames(2)).toEqual(['1', '2'])
    const [connA, connB] = [await fx.waitForConnection(1), await fx.waitForConnection(2)]
    expect([replay.position(connA), replay.position(connB)]).toEqual([2, 2])
    expect(replay.isFinished(connA)).toBe(false)
    resume()
    await replay.finished(connA)
    expect(await a.waitForFrames(4)).toEqual(['1', '2', '3', '4'])
    expect(replay.position(connA)).toBe(4)
    await replay.finished(connB)
    expect(connB.sentCount).toBe(4)
  })

  it("join 'live' gives a later connection the handshake, then the session from where its clock stands", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    fx = await FakeExchange.start()
    const session = lines(
      { t: 0, dir: 'in', data: 'hello' },
      { t: 0, dir: 'out', data: { op: 'subscribe' } },
      ...[100, 200, 300, 400].map((t) => ({ t, dir: 'in', data: t })),
    )
    fx.replay(parseSession(session), { speed: 1, join: 'live' })
    const first = await connect(fx.wsUrl)
    first.ws.send('subscribe')
    await vi.advanceTimersByTimeAsync(250)
    expect(await first.waitForFrames(3)).toEqual(['"hello"', '100', '200'])

    const second = await connect(fx.wsUrl)
    expect(await second.waitForFrames(1)).toEqual(['"hello"'])
    second.ws.send('subscribe')
    await (await fx.waitForConnection(2)).waitForMessageCount(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(await second.waitForFrames(3)).toEqual(['"hello"', '300', '400'])
    expect(await first.waitForFrames(5)).toEqual(['"hello"', '100', '200', '300', '400'])
  })

  it("join 'live' starts at the slowest playing connection's next frame, so one lagging behind the clock leaves no hole", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    fx = await FakeExchange.start()
    const session = lines({ t: 0, dir: 'out', data: null }, ...[0, 100, 200, 300].map((t) => ({ t, dir: 'in', data: t })))
    const replay = fx.replay(parseSession(session), { speed: 1, join: 'live' })
    // The first connection is held before frame 200 while the clock runs on to 350 ms.
    const resume = replay.pauseAt(3)
    const first = await connect(fx.wsUrl)
    await vi.advanceTimersByTimeAsync(350)
    expect(await first.waitForFrames(2)).toEqual(['0', '100'])
    const second = await connect(fx.wsUrl)
    await fx.waitForConnection(2)
    resume()
    expect(await second.waitForFrames(2)).toEqual(['200', '300'])
    expect(await first.waitForFrames(4)).toEqual(['0', '100', '200', '300'])
  })

  it("join 'live' without a connection still playing joins where the clock stands", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    fx = await FakeExchange.start()
    const session = lines(...[0, 100, 200].map((t) => ({ t, dir: 'in', data: t })))
    const replay = fx.replay(parseSession(session), { speed: 1, join: 'live' })
    const first = await connect(fx.wsUrl)
    await vi.advanceTimersByTimeAsync(150)
    expect(await first.waitForFrames(2)).toEqual(['0', '100'])
    first.ws.terminate()
    await fx.connections[0]!.closed
    const second = await connect(fx.wsUrl)
    await vi.advanceTimersByTimeAsync(100)
    await replay.finished(await fx.waitForConnection(2))
    expect(await second.waitForFrames(1)).toEqual(['200'])
    expect(fx.connections[1]!.sentCount).toBe(1)
  })

  it("refuses join 'live' without a clock to follow", async () => {
    fx = await FakeExchange.start()
    const session = parseSession(lines({ t: 0, dir: 'in', data: 1 }))
    expect(() => fx.replay(session, { join: 'live' })).toThrow(/speed > 0/)
    expect(() => fx.replay(session, { join: 'live', speed: 1, loop: true })).toThrow(/no loop/)
  })
})
