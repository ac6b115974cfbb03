/**
 * The chaos test's invariants: functions from the emitted events (and what the market recorded) to a
 * list of violations, empty when the promise held. Lists rather than throws, so a failure shows the
 * broken spots at once, each with its event index.
 */
import { OrderBook } from '@dccd/core'
import type { BookLevel, MarketEvent, StatusEvent } from '@dccd/core'
import type { ChaosMarket } from './chaos-market.js'
import type { FaultRecord } from './chaos-records.js'
import type { BookState } from './market-book.js'

/** Enough to see a pattern; the rest would only bury it. */
const MAX_REPORTED = 12

const isStatus = (event: MarketEvent, status: StatusEvent['status']): event is StatusEvent => event.type === 'status' && event.status === status

/**
 * Invariant A, the book is never silently wrong: a consumer applying the emitted book events holds,
 * after every one, the market's true book cut to the subscribed depth at the moment of that message
 * (found by the event's timestamp). A `resync` for a symbol, or a disconnect, invalidates its book
 * until the next snapshot; a delta meanwhile is a violation.
 */
export function bookViolations(events: readonly MarketEvent[], market: ChaosMarket): string[] {
  const out: string[] = []
  const books = new Map<string, OrderBook>()
  const synced = new Set<string>()
  for (let i = 0; i < events.length && out.length < MAX_REPORTED; i++) {
    const event = events[i]!
    if (isStatus(event, 'disconnected')) synced.clear()
    if (isStatus(event, 'resync') && event.symbol !== undefined) synced.delete(event.symbol)
    if (event.type !== 'book') continue
    const what = `#${i} ${event.symbol} ${event.isSnapshot ? 'snapshot' : 'update'} stamped ${event.timestamp}`
    if (event.isSnapshot) synced.add(event.symbol)
    else if (!synced.has(event.symbol)) {
      out.push(`${what}: a delta while the book awaits a snapshot`)
      continue
    }
    let book = books.get(event.symbol)
    if (book === undefined) books.set(event.symbol, (book = new OrderBook()))
    book.apply(event)
    const truth = market.books.get(event.symbol)?.truthAt(event.timestamp)
    if (truth === undefined) out.push(`${what}: the market sent no message with that stamp`)
    else {
      const difference = differenceFrom(book, truth)
      if (difference !== undefined) out.push(`${what}: ${difference}`)
    }
  }
  return out
}

/**
 * Invariant B, no trade silently lost or repeated: per symbol, the emitted trades and `gap` markers,
 * in stream order, account for every id from the first trade on exactly once (ids strictly increase;
 * a gap starts right after what came before it, and a trade after a gap continues right after it).
 * Every trade is the market's trade of that id, and a symbol's first trade is the oldest of a trade
 * snapshot exactly when `tradeSnapshot` is on. With REST Trades working there is no gap. With it
 * failing, each gap quotes the error and is exactly the ids neither the WebSocket nor REST supplied:
 * it ends right before the oldest trade of a trade snapshot the market sent (a reconnect's hole), or
 * it is exactly a run of trades the market skipped or sent unreadable on a live connection, ending
 * right before the readable trade that followed them there (a hole on a healthy socket).
 */
export function tradeViolations(events: readonly MarketEvent[], market: ChaosMarket, options: { restTrades: 'ok' | 'fail'; tradeSnapshot: boolean }): string[] {
  const { restTrades, tradeSnapshot } = options
  const out: string[] = []
  /** Per symbol: the last id accounted for, and whether a gap accounted for it. */
  const accounted = new Map<string, { id: number; byGap: boolean }>()
  for (let i = 0; i < events.length && out.length < MAX_REPORTED; i++) {
    const event = events[i]!
    if (event.type === 'trade') {
      const id = Number(event.id)
      const last = accounted.get(event.symbol)
      if (last === undefined) {
        // A symbol's first trade comes from a trade snapshot only when tradeSnapshot asks for one.
        const fromSnapshot = market.tradeSnapshots.some((s) => s.symbol === event.symbol && s.firstId === id)
        if (fromSnapshot !== tradeSnapshot) out.push(`#${i} ${event.symbol} first trade ${id} ${fromSnapshot ? 'is' : 'is not'} the oldest of a trade snapshot (tradeSnapshot: ${tradeSnapshot})`)
      }
      if (!Number.isSafeInteger(id)) out.push(`#${i} ${event.symbol} trade with id ${JSON.stringify(event.id)}`)
      else if (last !== undefined && id !== last.id + 1) {
        out.push(`#${i} ${event.symbol} trade ${id} after ${last.id}: ${id <= last.id ? 'repeated or out of order' : `ids ${last.id + 1}..${id - 1} missing, no gap`}`)
      }
      if (Number.isSafeInteger(id) && id > (last?.id ?? -Infinity)) accounted.set(event.symbol, { id, byGap: false })
      const truth = market.tapes.get(event.symbol)?.get(id)
      // REST times arrive as a float with 7 decimals: the µs may be 1 off (README).
      if (truth === undefined) out.push(`#${i} ${event.symbol} trade ${event.id} the market never made`)
      else if (event.price !== truth.price || event.amount !== truth.qty || event.side !== truth.side || Math.abs(event.timestamp - truth.micros) > 1) {
        out.push(`#${i} ${event.symbol} trade ${id} is ${JSON.stringify(pick(event))}, the market's is ${JSON.stringify(truth)}`)
      }
    } else if (isStatus(event, 'gap')) {
      const symbol = event.symbol ?? '?'
      const from = Number(event.fromId)
      const to = Number(event.toId)
      const last = accounted.get(symbol)
      const what = `#${i} ${symbol} gap ${event.fromId}..${event.toId} (${event.reason})`
      if (restTrades === 'ok') out.push(`${what} although REST Trades serves every trade`)
      if (event.channel !== 'trades' || !(to >= from)) out.push(`${what}: malformed`)
      if (last === undefined) out.push(`${what} before any trade`)
      else if (from !== last.id + 1) out.push(`${what} after ${last.id}`)
      else if (last.byGap) out.push(`${what} right after another gap (one hole, one gap)`)
      if (restTrades === 'fail') {
        if (!event.reason?.includes('EGeneral:Invalid arguments')) out.push(`${what}: the reason should quote the REST error`)
        const atSnapshot = market.tradeSnapshots.some((s) => s.symbol === symbol && s.firstId === to + 1)
        const lostRun = market.lostRuns.some((run) => run.symbol === symbol && run.fromId === from && run.toId === to && run.closing?.id === to + 1)
        if (!atSnapshot && !lostRun) out.push(`${what}: neither ends where a trade snapshot began nor is exactly a run of trades lost on a live connection`)
      }
      if (to > (last?.id ?? -Infinity)) accounted.set(symbol, { id: to, byGap: true })
    }
  }
  for (const [symbol, last] of accounted) if (last.byGap) out.push(`${symbol} ends with a gap: the trades after it never came`)
  return out
}

/**
 * Checksum faults: every corruption the feed read (a later frame of its connection reached the
 * stream) produced exactly one `resync` for its symbol, quoting the checksum the frame carried, and
 * nothing else produced one. After each resync that symbol's next book event is a snapshot, and until
 * then every other symbol's book kept coming (unless the connection dropped meanwhile).
 */
export function resyncViolations(events: readonly MarketEvent[], market: ChaosMarket, symbols: readonly string[]): string[] {
  const out: string[] = []
  const corruptions = market.faults.filter((fault) => fault.kind === 'corrupt-level' || fault.kind === 'corrupt-checksum')
  const explained = new Set<FaultRecord>()
  events.forEach((event, i) => {
    if (!isStatus(event, 'resync')) return
    const fault = corruptions.find((f) => !explained.has(f) && f.symbol === event.symbol && event.reason?.includes(`Kraken sent ${f.checksum},`) === true)
    if (fault === undefined) out.push(`#${i} resync for ${event.symbol} that no corruption explains: ${event.reason}`)
    else explained.add(fault)
    if (event.channel !== 'book') out.push(`#${i} resync names channel ${event.channel}`)
    const quiet = new Set(symbols.filter((symbol) => symbol !== event.symbol))
    for (let j = i + 1; j < events.length; j++) {
      const next = events[j]!
      if (isStatus(next, 'disconnected')) return
      if (next.type !== 'book') continue
      if (next.symbol !== event.symbol) quiet.delete(next.symbol)
      else {
        if (!next.isSnapshot) out.push(`#${j} ${next.symbol}: the first book event after resync #${i} is not a snapshot`)
        if (quiet.size > 0) out.push(`#${i} while ${event.symbol} resynced, ${[...quiet].join(', ')} sent no book event`)
        return
      }
    }
    out.push(`#${i} resync for ${event.symbol} never followed by a snapshot`)
  })
  const seen = market.framesSeen(events)
  for (const fault of corruptions) {
    const read = fault.seq !== undefined && (seen.get(fault.connection) ?? 0) > fault.seq
    if (read && !explained.has(fault)) out.push(`a corruption the feed read went undetected: ${fault.detail}`)
  }
  return out.slice(0, MAX_REPORTED)
}

/** Connection statuses: `connected` first, then `disconnected` and `connected` strictly alternating. */
export function connectionViolations(events: readonly MarketEvent[]): string[] {
  const out: string[] = []
  let expected: 'connected' | 'disconnected' = 'connected'
  events.forEach((event, i) => {
    if (!isStatus(event, 'connected') && !isStatus(event, 'disconnected')) return
    if (event.status !== expected) out.push(`#${i} ${event.status}, expected ${expected}`)
    expected = event.status === 'connected' ? 'disconnected' : 'connected'
  })
  return out.slice(0, MAX_REPORTED)
}

function differenceFrom(book: OrderBook, truth: BookState): string | undefined {
  for (const side of ['bids', 'asks'] as const) {
    const have = [...book[side]()]
    const want = truth[side]
    for (let k = 0; k < Math.max(have.length, want.length); k++) {
      if (have[k]?.price !== want[k]?.price || have[k]?.amount !== want[k]?.amount) {
        return `${side}[${k}] is ${levelText(have[k])}, the market's ${levelText(want[k])} (${have.length} vs ${want.length} levels)`
      }
    }
  }
  return undefined
}

const levelText = (level: BookLevel | undefined): string => (level === undefined ? 'absent' : `${level.amount} @ ${level.price}`)

const pick = (event: MarketEvent & { type: 'trade' }) => ({ price: event.price, amount: event.amount, side: event.side, timestamp: event.timestamp })
