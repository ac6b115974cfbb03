/** The smallest MarketFeed adapter and helpers for MarketFeed's own tests. */
import type { BarEvent, MarketEvent, TradeEvent, TradeHistorySource, TradeHole } from '@dccd/core'
import type { FakeConnection } from '@dccd/testkit'
import { MarketFeed } from '../../src/index.js'
import type { Connection, FrameContext, MarketFeedSettings, WebSocketOptions } from '../../src/index.js'
import { FAST } from './feeds.js'

/** A trade as the demo exchange sends it: symbol, id, exchange time (µs). */
interface DemoTrade {
  s: string
  id: number
  ts: number
  /** Present on a bar frame: the bar instead of a trade. */
  bar?: Omit<BarEvent, 'type' | 'exchange' | 'localTimestamp'>
}

export const trade = (s: string, id: number, ts = id * 1000, localTimestamp = 0): TradeEvent => ({
  type: 'trade',
  exchange: 'demo',
  symbol: s,
  id: String(id),
  price: 100,
  amount: 1,
  side: 'buy',
  timestamp: ts,
  localTimestamp,
})

/** The smallest adapter: subscribes to its slot's symbols, every frame is one trade. */
export class DemoFeed extends MarketFeed {
  streamLost: ((slot: number, reason: string) => MarketEvent[]) | undefined

  constructor(settings: Omit<MarketFeedSettings, 'exchange'>, options: WebSocketOptions = FAST) {
    super({ exchange: 'demo', ...settings }, options)
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    await connection.send({ op: 'subscribe', symbols: this.symbolsOf(connection.slot) })
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] {
    const m = JSON.parse(raw) as DemoTrade
    const out: MarketEvent[] = []
    if (m.bar !== undefined) this.acceptBar({ type: 'bar', exchange: 'demo', ...m.bar, localTimestamp: context.receivedAt }, out)
    else this.acceptTrade(trade(m.s, m.id, m.ts, context.receivedAt), out)
    return out
  }

  protected override onStreamLost(slot: number, reason: string): MarketEvent[] | undefined {
    return this.streamLost?.(slot, reason)
  }
}

/** One line per event: `trade A 1`, `connected`, `disconnected B: <reason>`, `gap A 3..4`. */
export function brief(event: MarketEvent): string {
  if (event.type === 'trade') return `trade ${event.symbol} ${event.id}`
  if (event.type === 'bar') return `bar ${event.symbol} ${event.interval} ${event.openTime}${event.closed ? '' : '~'}`
  if (event.type !== 'status') return event.type
  if (event.status === 'gap') return `gap ${event.symbol} ${event.fromId}..${event.toId}`
  return [event.status, event.symbol].filter(Boolean).join(' ') + (event.reason === undefined ? '' : `: ${event.reason}`)
}

export function collect(feed: MarketFeed): MarketEvent[] {
  const seen: MarketEvent[] = []
  const events = feed.stream()
  void (async () => {
    for await (const event of events) seen.push(event)
  })().catch(() => {})
  return seen
}

export const subscribed = (connection: FakeConnection): Promise<string> => connection.waitForMessage()
export const send = (connection: FakeConnection, s: string, id: number, ts = id * 1000): void => connection.send({ s, id, ts })

/** An async-generator history source whose pages the test hands out. */
export function manualHistory() {
  const holes: TradeHole[] = []
  const signals: AbortSignal[] = []
  const pages: ((page: TradeEvent[]) => void)[] = []
  let closed = false
  const source: TradeHistorySource = {
    name: 'GET /demo/trades',
    async *fetch(hole, signal) {
      holes.push(hole)
      signals.push(signal)
      try {
        for (;;) yield await new Promise<TradeEvent[]>((resolve) => pages.push(resolve))
      } finally {
        closed = true
      }
    },
  }
  return {
    source,
    holes,
    signals,
    /** Pages asked for so far. */
    get asked() {
      return pages.length
    },
    get closed() {
      return closed
    },
    answer: (page: TradeEvent[]) => pages.at(-1)!(page),
  }
}

