/**
 * The feed's fast path for diff-depth frames: reads the layout Binance
 * sends, byte for byte, straight into the book event, without `JSON.parse`
 * building the frame's strings and arrays first (most of a depth frame's
 * cost: one string per price and quantity, one array per level).
 *
 * It only ever recognizes: a frame it accepts is valid JSON, and
 * `JSON.parse` + `readDepthUpdate` (parse.ts) would give the same event and
 * ids. Anything else (another event, other key order, whitespace, escapes,
 * exponents, signs, a time or id out of range, a number past 2^53) returns
 * undefined, and the caller takes the general path, whose checks and errors
 * are the ones that apply. Accepted, with no whitespace:
 *
 *   [{"stream":"<text>","data":] {"e":"depthUpdate","E":<int>[,"T":<int>],"s":"<text>",
 *     "U":<int>,"u":<int>[,"pu":<int>],"b":[<levels>],"a":[<levels>]} [}]
 *
 * `T` and `pu` exactly when the dialect has `previousUpdateIds` (futures); a level is
 * `["<decimal>","<decimal>"]`, a decimal digits with at most one dot, as core's `decimalToNumber` reads.
 */
import { isPlausibleExchangeTime } from '@dccd/core'
import type { BookEvent, BookLevel } from '@dccd/core'
import type { BinanceDialect, DepthIdsHolder } from './parse.js'

const COMBINED = '{"stream":"'
const DATA = ',"data":'
const EVENT = '{"e":"depthUpdate","E":'

/** Exact powers of ten: every 10^k with k <= 22 is a double (as in core's `decimalToNumber`). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * Where the reading stands: `int` and `decimal` return the value (-1 when there is none) and leave
 * the position after it here. A position is a small integer; a double kept in a module variable
 * would be boxed on every write (profiled: more garbage than JSON.parse's).
 */
let at = 0

/**
 * A depth frame of the layout above → its delta, with its ids written into `ids`; undefined (and
 * `ids` untouched) for any other frame.
 *
 * @param localTimestamp receive time, µs
 */
export function scanDepthUpdate(raw: string, localTimestamp: number, dialect: BinanceDialect, ids: DepthIdsHolder): BookEvent | undefined {
  let pos = 0
  const combined = raw.startsWith(COMBINED)
  if (combined) {
    pos = text(raw, COMBINED.length)
    if (pos < 0 || !raw.startsWith(DATA, pos + 1)) return undefined
    pos += 1 + DATA.length
  }
  if (!raw.startsWith(EVENT, pos)) return undefined
  let timeMs = int(raw, pos + EVENT.length)
  if (timeMs < 0) return undefined
  const futures = dialect.previousUpdateIds
  if (futures) {
    // Futures events are timed by their transaction time `T`.
    if (!raw.startsWith(',"T":', at)) return undefined
    timeMs = int(raw, at + 5)
    if (timeMs < 0) return undefined
  }
  const timestamp = timeMs * 1000
  if (!isPlausibleExchangeTime(timestamp, localTimestamp) || !raw.startsWith(',"s":"', at)) return undefined
  const symbolStart = at + 6
  pos = text(raw, symbolStart)
  if (pos < 0) return undefined
  const symbol = raw.slice(symbolStart, pos)
  if (!raw.startsWith('","U":', pos)) return undefined
  const first = int(raw, pos + 6)
  if (first < 0 || !raw.startsWith(',"u":', at)) return undefined
  const final = int(raw, at + 5)
  if (final < 0 || first > final) return undefined
  let previous: number | undefined
  if (futures) {
    if (!raw.startsWith(',"pu":', at)) return undefined
    previous = int(raw, at + 6)
    if (previous < 0) return undefined
  }
  if (!raw.startsWith(',"b":', at)) return undefined
  const bids: BookLevel[] = []
  pos = levels(raw, at + 5, bids)
  if (pos < 0 || !raw.startsWith(',"a":', pos)) return undefined
  const asks: BookLevel[] = []
  pos = levels(raw, pos + 5, asks)
  if (pos < 0 || raw.charCodeAt(pos) !== 125 /* } */) return undefined
  pos++
  if (combined) {
    if (raw.charCodeAt(pos) !== 125) return undefined
    pos++
  }
  if (pos !== raw.length) return undefined
  ids.firstUpdateId = first
  ids.finalUpdateId = final
  ids.previousUpdateId = previous
  return { type: 'book', exchange: dialect.exchange, symbol, isSnapshot: false, bids, asks, timestamp, localTimestamp }
}

/** A string's text from `pos` (after its opening quote) → the position of its closing quote; -1 on an escape or a control character. */
function text(raw: string, pos: number): number {
  for (let i = pos; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 34 /* " */) return i
    if (c === 92 /* \ */ || c < 32) return -1
  }
  return -1
}

/** An integer 0 ≤ n < 10^15 as JSON writes it (no sign, no leading zero) at `pos` → its value, `at` after it; -1 otherwise. */
function int(raw: string, pos: number): number {
  let value = 0
  let i = pos
  for (; i < raw.length; i++) {
    const digit = raw.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  const digits = i - pos
  // 15 digits stay below 2^53, so every value read is exact.
  if (digits === 0 || digits > 15 || (digits > 1 && raw.charCodeAt(pos) === 48)) return -1
  at = i
  return value
}

/** `[]` or `[["<decimal>","<decimal>"],…]` at `pos` → the position after it, levels pushed to `out`; -1 otherwise. */
function levels(raw: string, pos: number, out: BookLevel[]): number {
  if (raw.charCodeAt(pos) !== 91 /* [ */) return -1
  pos++
  if (raw.charCodeAt(pos) === 93 /* ] */) return pos + 1
  for (;;) {
    // ["
    if (raw.charCodeAt(pos) !== 91 || raw.charCodeAt(pos + 1) !== 34) return -1
    const price = decimal(raw, pos + 2)
    // ","
    if (price < 0 || raw.charCodeAt(at + 1) !== 44 || raw.charCodeAt(at + 2) !== 34) return -1
    const amount = decimal(raw, at + 3)
    if (amount < 0) return -1
    out.push({ price, amount })
    // "]
    pos = at
    if (raw.charCodeAt(pos + 1) !== 93) return -1
    const next = raw.charCodeAt(pos + 2)
    pos += 3
    if (next === 93) return pos
    if (next !== 44 /* , */) return -1
  }
}

/**
 * A string's text at `pos` read as core's `decimalToNumber` reads it (digits with at most one dot,
 * the same arithmetic) → its value, `at` on its closing quote; -1 for anything else, or where
 * `decimalToNumber` would fall back to `Number()`.
 */
function decimal(raw: string, pos: number): number {
  let mantissa = 0
  let dot = -1
  let i = pos
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    const digit = c - 48
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit
    } else if (c === 46 /* . */ && dot === -1) {
      dot = i
    } else if (c === 34 /* " */) {
      break
    } else {
      return -1
    }
  }
  const n = i - pos
  if (i === raw.length || n === 0 || (dot !== -1 && n === 1) || mantissa > Number.MAX_SAFE_INTEGER) return -1
  at = i
  if (dot === -1) return mantissa
  const decimals = i - dot - 1
  return decimals < POW10.length ? mantissa / POW10[decimals]! : -1
}
