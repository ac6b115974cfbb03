import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StreamStateError, WebSocketBase } from '../src/index.js'
import type { Connection, FrameContext } from '../src/index.js'
import { eventually, FAST, JsonFeed, memoryLogger, take } from './support/feeds.js'

let fx: FakeExchange
let feed: { stop(): Promise<void> } | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await fx.close()
})

describe('WebSocketBase parsing', () => {
  it('skips, counts and logs malformed frames and keeps streaming', async () => {
    const logger = memoryLogger()
    const f = new JsonFeed(fx.wsUrl, { ...FAST, logger })
    feed = f
    const records = f.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send('{"n":1}')
    connection.send('this is not json')
    connection.send('{"n":2')
    connection.send('{"n":3}')
    expect((await take(records, 2)).map((r) => r.n)).toEqual([1, 3])
    expect(f.stats.parseErrors).toBe(2)
    expect(f.stats.frames).toBe(4)
    expect(f.stats.records).toBe(2)
    const warnings = logger.entries.filter((e) => e.message === 'frame could not be parsed; skipped')
    expect(warnings.map((w) => w.context!.frame)).toEqual(['this is not json', '{"n":2'])
    expect(connection.isOpen).toBe(true)
  })

  it('reports each unparsable frame to onParseError with its connection and error, and survives a throwing hook', async () => {
    class HoleAwareFeed extends JsonFeed {
      readonly parseErrors: { connection: number; error: string }[] = []
      protected override onParseError(connection: Connection, error: unknown): void {
        this.parseErrors.push({ connection: connection.id, error: (error as Error).name })
        throw new Error('hook failure must not stop the stream')
      }
    }
    const f = new HoleAwareFeed(fx.wsUrl, FAST)
    feed = f
    const records = f.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send('not json')
    connection.send('{"n":1}')
    expect((await take(records, 1)).map((r) => r.n)).toEqual([1])
    expect(f.parseErrors).toEqual([{ connection: 1, error: 'SyntaxError' }])
    expect(f.stats.parseErrors).toBe(1)
  })

  it('accepts arrays, sync generators, other iterables and undefined from parseMessage', async () => {
    class ShapesFeed extends WebSocketBase<string> {
      protected parseMessage(raw: string, context: FrameContext): Iterable<string> | undefined {
        expect(context.connection.id).toBe(1)
        expect(Number.isInteger(context.receivedAt)).toBe(true)
        if (raw === 'array') return ['a1', 'a2']
        if (raw === 'set') return new Set(['s1'])
        if (raw === 'none') return undefined
        return (function* () {
          yield 'g1'
          // A generator that fails midway: what it yielded stays, the failure is a parse error.
          throw new Error('broken generator')
        })()
      }
    }
    const f = new ShapesFeed(fx.wsUrl, FAST)
    feed = f
    const records = f.stream()
    const connection = await fx.waitForConnection(1)
    for (const frame of ['array', 'none', 'generator', 'set']) connection.send(frame)
    expect(await take(records, 4)).toEqual(['a1', 'a2', 'g1', 's1'])
    expect(f.stats.parseErrors).toBe(1)
  })

  it('streamRaw() yields the raw frames without parsing', async () => {
    const f = new JsonFeed(fx.wsUrl, FAST)
    feed = f
    const frames = f.streamRaw()
    const connection = await fx.waitForConnection(1)
    connection.send('not json')
    connection.send({ n: 1 })
    expect(await take(frames, 2)).toEqual(['not json', '{"n":1}'])
    expect(f.stats.parseErrors).toBe(0)
  })

  it('push() injects records in order with parsed ones', async () => {
    const f = new JsonFeed(fx.wsUrl, FAST)
    feed = f
    const records = f.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send({ n: 1 })
    await eventually(() => f.stats.frames === 1)
    f.pushRecord({ status: 'resync', connection: 0 })
    connection.send({ n: 2 })
    expect(await take(records, 3)).toEqual([
      { n: 1, connection: 1 },
      { status: 'resync', connection: 0 },
      { n: 2, connection: 1 },
    ])
  })

  it('a second stream() on the same feed throws StreamStateError', () => {
    const f = new JsonFeed(fx.wsUrl, FAST)
    feed = f
    f.stream()
    expect(() => f.streamRaw()).toThrow(StreamStateError)
    try {
      f.stream()
    } catch (error) {
      expect((error as StreamStateError).code).toBe('DCCD_STREAM_STATE')
    }
  })
})

describe('WebSocketBase failures', () => {
  it('fail() delivers queued records, then rejects next() with the error and closes the socket', async () => {
    const f = new JsonFeed(fx.wsUrl, FAST)
    feed = f
    const records = f.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send({ n: 1 })
    connection.send({ fail: true, reason: 'invalid symbol' })
    expect((await records.next()).value).toEqual({ n: 1, connection: 1 })
    await expect(records.next()).rejects.toThrow('exchange rejected: invalid symbol')
    expect(await records.next()).toEqual({ done: true, value: undefined })
    await connection.closed
    expect(connection.closeCode).toBe(1000)
  })

  it('a rejecting beforeConnect makes the first next() reject before any connection', async () => {
    class UnknownSymbolFeed extends JsonFeed {
      protected override async beforeConnect(): Promise<void> {
        throw new Error('unknown symbol FOO')
      }
    }
    const f = new UnknownSymbolFeed(fx.wsUrl, FAST)
    feed = f
    await expect(f.stream().next()).rejects.toThrow('unknown symbol FOO')
    expect(fx.upgradeAttempts).toBe(0)
  })

  it('a failing onConnect is logged, the socket dropped and the connection retried', async () => {
    const logger = memoryLogger()
    const f = new JsonFeed(fx.wsUrl, { ...FAST, logger })
    feed = f
    f.onConnectError = (attempt) => (attempt === 1 ? new Error('subscribe failed') : undefined)
    const records = f.stream()
    const second = await fx.waitForConnection(2)
    await second.waitForMessage()
    second.send({ n: 1 })
    expect((await records.next()).value).toEqual({ n: 1, connection: 2 })
    expect(logger.entries.some((e) => e.message === 'onConnect failed; reconnecting')).toBe(true)
    // The first socket never became active, so the consumer saw no disconnect.
    expect(f.disconnects).toHaveLength(0)
    await fx.connections[0]!.closed
  })

  it('fail() after stop() and hook errors never surface as unhandled rejections', async () => {
    class ThrowingHooksFeed extends JsonFeed {
      protected override onDisconnect(): void {
        throw new Error('onDisconnect bug')
      }
    }
    const logger = memoryLogger()
    const f = new ThrowingHooksFeed(fx.wsUrl, { ...FAST, logger })
    feed = f
    const records = f.stream()
    const first = await fx.waitForConnection(1)
    await first.waitForMessage()
    first.terminate()
    const second = await fx.waitForConnection(2)
    await second.waitForMessage()
    second.send({ n: 1 })
    expect((await records.next()).value).toEqual({ n: 1, connection: 2 })
    expect(logger.entries.some((e) => e.level === 'error' && e.message === 'onDisconnect threw')).toBe(true)
    await f.stop()
    ;(f as unknown as { fail(e: Error): void }).fail(new Error('late'))
    expect(await records.next()).toEqual({ done: true, value: undefined })
  })
})
