/**
 * Candles of the simulated OKX, aggregated from an instrument's fills (simulated-okx-trades.ts), the same way for
 * the `/business` `candle<bar>` pushes and REST `history-candles`, so a bar's last push equals its REST row.
 * Row: `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]` with `vol` in contracts (SWAP/FUTURES) or base
 * (SPOT), `volCcy` in base currency, `volCcyQuote` in quote currency
 * (https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-candlesticks-channel).
 * Intervals without trades: `emptyBars: 'flat'` serves them as flat zero-volume rows at the previous close (none
 * before the first trade), `'none'` leaves them out. Bars up to `1H` and the `utc` ones align to UTC; `2H` and
 * longer without `utc` align to Hong Kong time (UTC+8), as OKX documents.
 */
import { formatDecimal, formatUnits } from './okx-frames.js'
import type { OkxCandleRow } from './okx-frames.js'
import { stepsOf } from './okx-instruments.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'
import type { OkxFill } from './simulated-okx-trades.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Bar names the simulator serves, with their length in ms. */
export const OKX_BARS: Readonly<Record<string, number>> = {
  '1m': MINUTE, '3m': 3 * MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE,
  '1H': HOUR, '2H': 2 * HOUR, '4H': 4 * HOUR, '6H': 6 * HOUR, '12H': 12 * HOUR, '1D': DAY,
  '6Hutc': 6 * HOUR, '12Hutc': 12 * HOUR, '1Dutc': DAY,
}

/** How intervals without trades are served. */
export type EmptyBars = 'flat' | 'none'

/** Open time (ms) of the `bar` interval containing `ms`. */
export function openTimeOf(bar: string, ms: number): number {
  const length = OKX_BARS[bar]!
  const offset = bar.endsWith('utc') || length <= HOUR ? 0 : 8 * HOUR
  return Math.floor((ms + offset) / length) * length - offset
}

/** First index whose fill has `ts >= ms`. */
function firstAtOrAfter(fills: readonly OkxFill[], ms: number): number {
  let lo = 0
  let hi = fills.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (fills[mid]!.ts < ms) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Aggregates an instrument's fills into candle rows. */
export class OkxCandles {
  constructor(
    readonly spec: OkxInstrumentSpec,
    readonly fills: readonly OkxFill[],
    readonly emptyBars: EmptyBars,
  ) {}

  /**
   * The row of the `bar` interval opening at `openTime`, over its fills with index < `end` (default: all), or
   * `undefined` when it has none and is not served flat.
   */
  row(bar: string, openTime: number, confirm: '0' | '1', end = this.fills.length): OkxCandleRow | undefined {
    const steps = stepsOf(this.spec)
    const from = firstAtOrAfter(this.fills, openTime)
    const to = Math.min(end, firstAtOrAfter(this.fills, openTime + OKX_BARS[bar]!))
    if (from >= to) {
      const previous = this.fills[from - 1]
      if (this.emptyBars === 'none' || previous === undefined) return undefined
      return [String(openTime), previous.px, previous.px, previous.px, previous.px, '0', '0', '0', confirm]
    }
    let high = this.fills[from]!
    let low = high
    let lots = 0
    let base = 0
    let quote = 0
    const ctVal = Number(this.spec.ctVal)
    for (let i = from; i < to; i++) {
      const fill = this.fills[i]!
      if (fill.ticks > high.ticks) high = fill
      if (fill.ticks < low.ticks) low = fill
      lots += fill.lots
      const px = Number(fill.px)
      const size = Number(fill.sz)
      if (this.spec.ctType === 'inverse') {
        base += (size * ctVal) / px
        quote += size * ctVal
      } else {
        const amount = this.spec.ctType === 'linear' ? size * ctVal : size
        base += amount
        quote += amount * px
      }
    }
    const vol = formatUnits(lots, steps.sz)
    const volCcy = this.spec.instType === 'SPOT' ? vol : formatDecimal(base)
    return [String(openTime), this.fills[from]!.px, high.px, low.px, this.fills[to - 1]!.px, vol, volCcy, formatDecimal(quote), confirm]
  }

  /**
   * Rows of the intervals opening in `[from, to]` (ms), up to the one containing `now` (confirm `"0"`; the others
   * `"1"`), ascending.
   */
  rows(bar: string, from: number, to: number, now: number): OkxCandleRow[] {
    const length = OKX_BARS[bar]!
    const current = openTimeOf(bar, now)
    const first = this.fills[0]
    if (first === undefined) return []
    const rows: OkxCandleRow[] = []
    for (let open = Math.max(openTimeOf(bar, from), openTimeOf(bar, first.ts)); open <= Math.min(to, current); open += length) {
      if (open < from) continue
      const row = this.row(bar, open, open === current ? '0' : '1')
      if (row !== undefined) rows.push(row)
    }
    return rows
  }
}
