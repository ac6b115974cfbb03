/**
 * Pieces for an adapter's fast path: reading the one frame layout an
 * exchange sends most (its book updates) straight from the text, without
 * `JSON.parse` building a string per number and an object or array per level
 * first. A scanner built from them only ever recognizes: every reader returns
 * -1 (or false) for anything it does not accept, and the adapter then takes
 * its general path (`JSON.parse` and its checks, whose errors apply). What a
 * scanner accepts must be valid JSON that the general path reads to the same
 * values, which a property test of the adapter holds it to.
 *
 * The readers return positions (small integers) and leave a number they read
 * in {@link scanned}: a typed array holds a double unboxed, where a double
 * returned from a call V8 did not inline, or kept in a module variable, is a
 * new heap number per read (profiled: whether V8 inlined them decided between
 * two speeds of the same code, run to run).
 *
 * Level lists are pushed into an array the scanner owns; the levels it hands
 * out (an event's `bids` and `asks`) should be exact-length copies
 * ({@link exactLevels}): an array grown by `push` holds room for 16 levels, and
 * a busy feed's queued events survive young-generation collections with it
 * (copying them was most of what GC cost on the Binance flood).
 */

import type { BookLevel } from './events.js'

/** Exact powers of ten: every 10^k with k <= 22 is a double (as in `decimalToNumber`). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k)

/** The number the last successful `scanInteger`, `scanDecimalText` or `scanNumber` read, in `scanned[0]`. */
export const scanned = new Float64Array(1)

/**
 * True when `literal` is in `text` at `pos`.
 *
 * Always a slice compared whole, never a `charCodeAt` loop, at any length.
 * Alone, a loop over a literal of up to 8 characters measured faster; inside
 * a scan it measured slower (Kraken's update scan 455 against 490 ns a frame,
 * with `,"qty":` per level), and every inlined copy of the loop was more for
 * V8 to compile while a fresh feed runs slow code (the Kraken scan's compile
 * 13–17 against 18–19 ms). End to end, `bench:ab` (BENCHMARKS.md, 2026-12-06):
 * warm Kraken +6 %, Binance +4 %, OKX +2 %, first runs +0–2 %.
 */
export function scanLiteral(text: string, pos: number, literal: string): boolean {
  const n = literal.length
  return pos >= 0 && pos + n <= text.length && text.slice(pos, pos + n) === literal
}

/**
 * `levels[0, count)` as a new array of exactly that length, for an event's
 * `bids` or `asks` (see the top of this file).
 *
 * One path for every non-empty side, on purpose. With an array literal for
 * the usual one-level side (2 ms faster per 42,000 Kraken frames, warm), a
 * fresh feed ran only that branch until V8 optimized the scan, so the `slice`
 * for two levels or more was compiled as a deopt: the first such side threw
 * the scan's optimized code away and V8 compiled it again, 30 ms on a busy
 * core (`--trace-deopt`), while the feed ran slow code. An empty side's `[]`
 * has no such cost: V8 compiles it without the feedback.
 *
 * @example event.bids = exactLevels(scratchBids, bidCount)
 */
export function exactLevels(levels: readonly BookLevel[], count: number): BookLevel[] {
  return count === 0 ? [] : levels.slice(0, count)
}

/**
 * A JSON string's content from `pos` (after its opening quote) → the position
 * of its closing quote; -1 on an escape or a control character (JSON.parse
 * would decode the one and reject the other).
 */
export function scanStringEnd(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) return i
    if (c === 92 /* \ */ || c < 32) return -1
  }
  return -1
}

/**
 * A JSON number at `pos` whose value is an integer 0 ≤ n ≤ 2^53 − 1, as {@link scanNumber} reads it
 * (so `1.0` is 1, as `JSON.parse` has it) → the position after it; -1 otherwise.
 */
export function scanInteger(text: string, pos: number): number {
  const end = scanNumber(text, pos)
  return end >= 0 && Number.isInteger(scanned[0]) ? end : -1
}

/**
 * The content of a JSON string at `pos` (after its opening quote) read as
 * core's `decimalToNumber` reads it: digits with at most one dot, the same
 * arithmetic, so the same double → the position of its closing quote; -1 for
 * anything else, or where `decimalToNumber` would fall back to `Number()`.
 */
export function scanDecimalText(text: string, pos: number): number {
  let mantissa = 0
  let dot = -1
  let i = pos
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i)
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
  if (i === text.length || n === 0 || (dot !== -1 && n === 1) || mantissa > Number.MAX_SAFE_INTEGER) return -1
  if (dot === -1) {
    scanned[0] = mantissa
    return i
  }
  const decimals = i - dot - 1
  if (decimals >= POW10.length) return -1
  scanned[0] = mantissa / POW10[decimals]!
  return i
}

/**
 * A JSON number ≥ 0 without exponent at `pos` (`0`, `12`, `0.5`, `354.150`;
 * not `-1`, `01`, `1.`, `.5`, `1e3`) → the position after it; -1 otherwise,
 * or when its digits pass 2^53 or it has over 22 decimals. The value is the
 * double `JSON.parse` gives: the digits without the dot and 10^decimals are
 * both exact doubles, and IEEE division rounds their quotient correctly.
 */
export function scanNumber(text: string, pos: number): number {
  let mantissa = 0
  let i = pos
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) break
    mantissa = mantissa * 10 + digit
  }
  const whole = i - pos
  if (whole === 0 || (whole > 1 && text.charCodeAt(pos) === 48)) return -1
  let decimals = 0
  if (text.charCodeAt(i) === 46 /* . */) {
    const start = ++i
    for (; i < text.length; i++) {
      const digit = text.charCodeAt(i) - 48
      if (digit < 0 || digit > 9) break
      mantissa = mantissa * 10 + digit
    }
    decimals = i - start
    if (decimals === 0 || decimals >= POW10.length) return -1
  }
  const next = text.charCodeAt(i)
  if (next === 101 /* e */ || next === 69 /* E */ || mantissa > Number.MAX_SAFE_INTEGER) return -1
  scanned[0] = decimals === 0 ? mantissa : mantissa / POW10[decimals]!
  return i
}

/**
 * `[]` or `[["<decimal>","<decimal>"…],…]` at `pos`: book levels written as arrays of strings, price and
 * quantity first (read as {@link scanDecimalText} reads them), then exactly `ignored` more strings
 * of any content (OKX's order counts) → the position after the list, each level pushed to `out`;
 * -1 otherwise (`out` may then hold some levels: the caller drops it).
 */
export function scanQuotedLevels(text: string, pos: number, out: BookLevel[], ignored = 0): number {
  if (text.charCodeAt(pos) !== 91 /* [ */) return -1
  pos++
  if (text.charCodeAt(pos) === 93 /* ] */) return pos + 1
  for (;;) {
    // ["
    if (text.charCodeAt(pos) !== 91 || text.charCodeAt(pos + 1) !== 34) return -1
    pos = scanDecimalText(text, pos + 2)
    // ","
    if (pos < 0 || text.charCodeAt(pos + 1) !== 44 || text.charCodeAt(pos + 2) !== 34) return -1
    const price = scanned[0]!
    pos = scanDecimalText(text, pos + 3)
    if (pos < 0) return -1
    out.push({ price, amount: scanned[0]! })
    for (let i = 0; i < ignored; i++) {
      if (text.charCodeAt(pos + 1) !== 44 || text.charCodeAt(pos + 2) !== 34) return -1
      pos = scanStringEnd(text, pos + 3)
      if (pos < 0) return -1
    }
    // "]
    if (text.charCodeAt(pos + 1) !== 93) return -1
    const next = text.charCodeAt(pos + 2)
    pos += 3
    // Both compares run for a one-level list, so V8 has feedback for them when it compiles (the
    // other order cost a deopt and a recompile at the first list of two levels).
    if (next !== 44 /* , */) return next === 93 /* ] */ ? pos : -1
  }
}
