import type { ExchangeAdapter, Feed, MarketEvent } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { CaptureProxy, FakeExchange, parseCapture, replaySession, type SessionFrame } from '../src/index.js'
import { toyExchange } from './support/toy-adapter.js'
import { TOY_SYMBOLS, toySession } from './support/toy-session.js'
import { twoPathExchange } from './support/two-path-adapter.js'

let upstream: FakeExchange | undefined
let proxy: CaptureProxy | undefined
afterEach(async () => {
  await proxy?.close()
  await upstream?.close()
  proxy = upstream = undefined
})

/** Every event of a stream that ends by itself. */
async function readAll(feed: Feed): Promise<MarketEvent[]> {
  const events: MarketEvent[] = []
  for await (const event of feed.stream()) events.push(event)
  return events
}

/** The events without their local receive time, which is the one thing a replay does not reproduce. */
const withoutLocalTime = (events: readonly MarketEvent[]): unknown[] => events.map(({ localTimestamp, ...rest }) => rest)

/**
 * Streams `exchange` through a capture proxy in front of `upstream` until `done(events)`, then stops
 * it and returns the events and the capture's text.
 */
async function capture(exchange: ExchangeAdapter, options: { symbols: string[]; channels: string[] }, done: (events: MarketEvent[]) => boolean): Promise<{ events: MarketEvent[]; text: string }> {
  const lines: string[] = []
  proxy = await CaptureProxy.start({ wsUrl: upstream!.wsUrl, restUrl: upstream!.restUrl, write: (line) => lines.push(line), meta: { exchange: exchange.id, ...options, options: { validateSymbols: true } } })
  const feed = exchange.createFeed({ ...options, channels: options.channels as never, wsUrl: proxy.wsUrl, restUrl: proxy.restUrl, validateSymbols: true })
  const events: MarketEvent[] = []
  for await (const event of feed.stream()) {
    events.push(event)
    if (done(events)) break
  }
  await feed.stop()
  await proxy.close()
  return { events, text: lines.join('') }
}

describe('replaySession', () => {
  it('replays a capture through the adapter to the same events as the live session, then ends', async () => {
    const session = toySession()
    upstream = await FakeExchange.start()
    upstream.replay(session)
    upstream.route('GET', '/symbols', () => ({ body: [...TOY_SYMBOLS, 'EEE-FFF'] }))
    const toy = toyExchange()
    const trades = (events: MarketEvent[]): number => events.filter((event) => event.type === 'trade').length
    // The session's last frames: trade 40, its book delta, its bar.
    const live = await capture(toy, { symbols: TOY_SYMBOLS, channels: ['trades', 'book', 'bars:1m'] }, (events) => trades(events) === 40 && events.at(-1)!.type === 'bar')

    const { meta, frames } = parseCapture(live.text)
    expect(meta).toMatchObject({ exchange: 'toy', symbols: TOY_SYMBOLS, channels: ['trades', 'book', 'bars:1m'] })
    expect(frames.filter((frame) => frame.dir === 'in')).toHaveLength(session.filter((frame) => frame.dir === 'in').length)
    expect(frames.filter((frame) => frame.dir === 'rest').map((frame) => new URL(frame.url!).pathname)).toEqual(['/symbols'])

    // No flags: symbols, channels and validateSymbols come from the meta line.
    const replayed = await readAll(replaySession(toy, { ...(meta ? { meta } : {}), frames }))
    expect(withoutLocalTime(replayed)).toEqual(withoutLocalTime(live.events))
    // Same file, same events.
    expect(withoutLocalTime(await readAll(replaySession(toy, { frames }, { symbols: TOY_SYMBOLS, channels: ['trades', 'book', 'bars:1m'] })))).toEqual(withoutLocalTime(replayed))
  })

  it('routes each captured socket to the replayed socket with its path, each frame once', async () => {
    upstream = await FakeExchange.start()
    const frames: SessionFrame[] = Array.from({ length: 20 }, (_, i) => ({ t: 1000 + i, dir: 'in', data: { id: i + 1 } }))
    upstream.replay([{ t: 999, dir: 'out', data: { subscribe: true } }, ...frames], { serves: (frame, path) => ((frame.data as { id: number }).id % 2 === 1) === path.startsWith('/odd') })
    const ids = (events: readonly MarketEvent[], parity: number): string[] => events.flatMap((event) => (event.type === 'trade' && Number(event.id) % 2 === parity ? [event.id] : []))
    const live = await capture(twoPathExchange, { symbols: ['AAA'], channels: ['trades'] }, (events) => events.length === 20)
    const captured = parseCapture(live.text)
    const opened = captured.frames.filter((frame) => frame.url !== undefined)
    expect(opened.map((frame) => frame.conn)).toEqual([1, 2])
    expect(opened.map((frame) => new URL(frame.url!).pathname).sort()).toEqual(['/even', '/odd'])

    const replayed = await readAll(replaySession(twoPathExchange, captured))
    expect(replayed).toHaveLength(20)
    // Per socket, the captured order; across sockets, arrival order (not compared).
    expect(ids(replayed, 1)).toEqual(['1', '3', '5', '7', '9', '11', '13', '15', '17', '19'])
    expect(ids(replayed, 0)).toEqual(['2', '4', '6', '8', '10', '12', '14', '16', '18', '20'])
  })

  it('needs symbols and channels when the capture has no meta line', async () => {
    await expect(readAll(replaySession(toyExchange(), toySession()))).rejects.toThrow('needs symbols and channels')
  })
})
