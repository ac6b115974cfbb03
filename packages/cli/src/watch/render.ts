/**
 * The `dccd watch` screen as a pure function of the state: a header line,
 * the last gap if there was one, mark/index price, funding and open interest
 * and the best bid/offer where the feed carries them (market-state-lines.ts),
 * the ladder (asks above, bids below, best prices next to the spread line),
 * then the last trades. Returns plain lines; the TTY loop adds the cursor
 * movements.
 */
import { microsToIso } from '@dccd/core'
import type { BookLevel } from '@dccd/core'
import { marketStateLines } from './market-state-lines.js'
import type { WatchGap, WatchState } from './model.js'
import { spreadOf } from './spread.js'

/** Layout of one frame. */
export interface RenderOptions {
  /** Levels per side. Default 10. */
  depth?: number
  /** Trades listed under the ladder. Default 10. */
  trades?: number
  /** Screen width, columns. Default 80. */
  width?: number
  /** The current time, µs: the next funding then shows how far off it is. Default: not shown. */
  now?: number
  /** Unit of open interest (the adapter's `market.openInterestUnit`). Default: none shown. */
  openInterestUnit?: string
}

const BAR_WIDTH = 20

function take(levels: Iterable<BookLevel>, n: number): BookLevel[] {
  const out: BookLevel[] = []
  for (const level of levels) {
    if (out.length >= n) break
    out.push(level)
  }
  return out
}

/** Shortest exact text of a number, right-aligned. */
function num(value: number, width: number): string {
  return String(value).padStart(width)
}

function bar(amount: number, max: number): string {
  const n = max > 0 ? Math.max(1, Math.round((amount / max) * BAR_WIDTH)) : 0
  return '█'.repeat(n)
}

/** `last gap 12:00:01.500  trades 4..9  (not recoverable)`. */
function gapLine(gap: WatchGap): string {
  const ids = gap.fromId === undefined ? '' : `  ${gap.fromId}..${gap.toId ?? gap.fromId}`
  const reason = gap.reason === undefined ? '' : `  (${gap.reason})`
  return `last gap ${microsToIso(gap.localTimestamp).slice(11, 23)}  ${gap.channel ?? 'all'}${ids}${reason}`
}

/** Renders one frame as lines (no trailing newline, no escape codes). */
export function renderWatch(state: WatchState, options: RenderOptions = {}): string[] {
  const depth = options.depth ?? 10
  const width = options.width ?? 80
  const lines: string[] = []
  const time = state.lastTimestamp === undefined ? '' : `  ${microsToIso(state.lastTimestamp).slice(11, 23)}`
  lines.push(
    `${state.exchange} ${state.symbol}  ${state.connection}  ${state.eventsPerSecond.toFixed(1)} ev/s  ` +
      `reconnects ${state.reconnects}  resyncs ${state.resyncs}  gaps ${state.gaps}${time}  (q quits)`,
  )
  if (state.lastGap !== undefined) lines.push(gapLine(state.lastGap))
  lines.push(...marketStateLines(state, options))
  const { book } = state
  const asks = book === undefined ? [] : take(book.asks(depth), depth)
  const bids = book === undefined ? [] : take(book.bids(depth), depth)
  const max = Math.max(0, ...asks.map((l) => l.amount), ...bids.map((l) => l.amount))
  const priceWidth = Math.max(10, ...[...asks, ...bids].map((l) => String(l.price).length))
  const amountWidth = Math.max(10, ...[...asks, ...bids].map((l) => String(l.amount).length))
  lines.push(`${'side'.padEnd(4)}  ${'price'.padStart(priceWidth)}  ${'amount'.padStart(amountWidth)}`)
  if (book === undefined) {
    lines.push(state.totalEvents === 0 ? '(waiting for the book…)' : '(book resyncing: waiting for a fresh snapshot)')
  } else {
    for (const level of [...asks].reverse()) {
      lines.push(`ask   ${num(level.price, priceWidth)}  ${num(level.amount, amountWidth)}  ${bar(level.amount, max)}`)
    }
    const bestAsk = asks[0]
    const bestBid = bids[0]
    if (bestAsk !== undefined && bestBid !== undefined) {
      const spread = spreadOf(bestBid.price, bestAsk.price)
      const mid = (bestAsk.price + bestBid.price) / 2
      lines.push(`----  spread ${spread}  (${((spread / mid) * 10_000).toFixed(2)} bps)  mid ${Number(mid.toPrecision(12))}`)
    } else {
      lines.push('----  (one side empty)')
    }
    for (const level of bids) {
      lines.push(`bid   ${num(level.price, priceWidth)}  ${num(level.amount, amountWidth)}  ${bar(level.amount, max)}`)
    }
  }
  lines.push('', 'last trades')
  const trades = state.trades.slice(0, options.trades ?? 10)
  if (trades.length === 0) lines.push('(none yet)')
  for (const trade of trades) {
    lines.push(`${microsToIso(trade.timestamp).slice(11, 26)}  ${trade.side.padEnd(7)}  ${num(trade.price, priceWidth)}  ${num(trade.amount, amountWidth)}`)
  }
  return lines.map((line) => (line.length > width ? line.slice(0, width) : line))
}
