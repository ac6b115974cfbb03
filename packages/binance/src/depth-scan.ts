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
 * The last number `int` or `decimal` read. They return positions (small integers) and leave the
 * value here: a typed array holds a double unboxed, where a double returned from a call that is
 * not inlined, or kept in a module variable, is a new heap number per read (profiled: whether
 * V8 inlined them decided between two speeds of the same code, run to run).
 */
const read = new Float64Array(1)

/**
 * A depth frame of the layout above → its delta, with its ids written into `ids`; undefined (and
 * `ids` untouched) for any other frame.
 *
 * @param localTimestamp receive time, µs
 */
export function scanDepthUpdate(raw: string, localTimestamp: number, dialect: BinanceDialect, ids: DepthIdsHolder): BookEvent | undefined {
  let pos = 0
  const combined = matches(raw, 0, COMBINED)
  if (combined) {
    pos = text(raw, COMBINED.length)
    if (pos < 0 || !matches(raw, pos + 1, DATA)) return undefined
    pos += 1 + DATA.length
  }
  if (!matches(raw, pos, EVENT)) return undefined
  pos = int(raw, pos + EVENT.length)
  if (pos < 0) return undefined
  const futures = dialect.previousUpdateIds
  if (futures) {
    // Futures events are timed by their transaction time `T`.
    if (!matches(raw, pos, ',"T":')) return undefined
    pos = int(raw, pos + 5)
    if (pos < 0) return undefined
  }
  const timestamp = read[0]! * 1000
  if (!isPlausibleExchangeTime(timestamp, localTimestamp) || !matches(raw, pos, ',"s":"')) return undefined
  const symbolStart = pos + 6
  pos = text(raw, symbolStart)
  if (pos < 0 || !matches(raw, pos, '","U":')) return undefined
  const symbolEnd = pos
  pos = int(raw, pos + 6)
  if (pos < 0 || !matches(raw, pos, ',"u":')) return undefined
  const first = read[0]!
  pos = int(raw, pos + 5)
  if (pos < 0) return undefined
  const final = read[0]!
  if (first > final) return undefined
  let previous: number | undefined
  if (futures) {
    if (!matches(raw, pos, ',"pu":')) return undefined
    pos = int(raw, pos + 6)
    if (pos < 0) return undefined
    previous = read[0]!
  }
  if (!matches(raw, pos, ',"b":')) return undefined
  const bids: BookLevel[] = []
  pos = levels(raw, pos + 5, bids)
  if (pos < 0 || !matches(raw, pos, ',"a":')) return undefined
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
  return { type: 'book', exchange: dialect.exchange, symbol: raw.slice(symbolStart, symbolEnd), isSnapshot: false, bids, asks, timestamp, localTimestamp }
}

/** True when `literal` is in `raw` at `pos` (a loop V8 inlines; `startsWith` is a call into the runtime per use). */
function matches(raw: string, pos: number, literal: string): boolean {
  if (pos + literal.length > raw.length) return false
  for (let i = 0; i < literal.length; i++) if (raw.charCodeAt(pos + i) !== literal.charCodeAt(i)) return false
  return true
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

/** An integer 0 ≤ n < 10^15 as JSON writes it (no sign, no leading zero) at `pos` → the position after it, the value in `read`; -1 otherwise. */
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
  read[0] = value
  return i
}

/** `[]` or `[["<decimal>","<decimal>"],…]` at `pos` → the position after it, levels pushed to `out`; -1 otherwise. */
function levels(raw: string, pos: number, out: BookLevel[]): number {
  if (raw.charCodeAt(pos) !== 91 /* [ */) return -1
  pos++
  if (raw.charCodeAt(pos) === 93 /* ] */) return pos + 1
  for (;;) {
    // ["
    if (raw.charCodeAt(pos) !== 91 || raw.charCodeAt(pos + 1) !== 34) return -1
    pos = decimal(raw, pos + 2)
    // ","
    if (pos < 0 || raw.charCodeAt(pos + 1) !== 44 || raw.charCodeAt(pos + 2) !== 34) return -1
    const price = read[0]!
    pos = decimal(raw, pos + 3)
    if (pos < 0) return -1
    out.push({ price, amount: read[0]! })
    // "]
    if (raw.charCodeAt(pos + 1) !== 93) return -1
    const next = raw.charCodeAt(pos + 2)
    pos += 3
    if (next === 93) return pos
    if (next !== 44 /* , */) return -1
  }
}

/**
 * A string's text at `pos` read as core's `decimalToNumber` reads it (digits with at most one dot,
 * the same arithmetic) → the position of its closing quote, the value in `read`; -1 for anything
 * else, or where `decimalToNumber` would fall back to `Number()`.
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
  if (dot === -1) {
    read[0] = mantissa
    return i
  }
  const decimals = i - dot - 1
  if (decimals >= POW10.length) return -1
  read[0] = mantissa / POW10[decimals]!
  return i
}
