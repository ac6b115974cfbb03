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
import { exactLevels, isPlausibleExchangeTime, scanInteger, scanLiteral, scanned, scanQuotedLevels, scanStringEnd } from '@dccd/core'
import type { BookEvent, BookLevel } from '@dccd/core'
import type { BinanceDialect, DepthIdsHolder } from './parse.js'

const COMBINED = '{"stream":"'
const DATA = ',"data":'
const EVENT = '{"e":"depthUpdate","E":'

/**
 * A depth frame of the layout above → its delta, with its ids written into `ids`; undefined (and
 * `ids` untouched) for any other frame.
 *
 * @param localTimestamp receive time, µs
 */
export function scanDepthUpdate(raw: string, localTimestamp: number, dialect: BinanceDialect, ids: DepthIdsHolder): BookEvent | undefined {
  let pos = 0
  const combined = scanLiteral(raw, 0, COMBINED)
  if (combined) {
    pos = scanStringEnd(raw, COMBINED.length)
    if (pos < 0 || !scanLiteral(raw, pos + 1, DATA)) return undefined
    pos += 1 + DATA.length
  }
  if (!scanLiteral(raw, pos, EVENT)) return undefined
  pos = scanInteger(raw, pos + EVENT.length)
  if (pos < 0) return undefined
  const futures = dialect.previousUpdateIds
  if (futures) {
    // Futures events are timed by their transaction time `T`.
    if (!scanLiteral(raw, pos, ',"T":')) return undefined
    pos = scanInteger(raw, pos + 5)
    if (pos < 0) return undefined
  }
  const timestamp = scanned[0]! * 1000
  if (!isPlausibleExchangeTime(timestamp, localTimestamp) || !scanLiteral(raw, pos, ',"s":"')) return undefined
  const symbolStart = pos + 6
  pos = scanStringEnd(raw, symbolStart)
  if (pos < 0 || !scanLiteral(raw, pos, '","U":')) return undefined
  const symbolEnd = pos
  pos = scanInteger(raw, pos + 6)
  if (pos < 0 || !scanLiteral(raw, pos, ',"u":')) return undefined
  const first = scanned[0]!
  pos = scanInteger(raw, pos + 5)
  if (pos < 0) return undefined
  const final = scanned[0]!
  if (first > final) return undefined
  let previous: number | undefined
  if (futures) {
    if (!scanLiteral(raw, pos, ',"pu":')) return undefined
    pos = scanInteger(raw, pos + 6)
    if (pos < 0) return undefined
    previous = scanned[0]!
  }
  if (!scanLiteral(raw, pos, ',"b":')) return undefined
  const bids: BookLevel[] = []
  pos = scanQuotedLevels(raw, pos + 5, bids)
  if (pos < 0 || !scanLiteral(raw, pos, ',"a":')) return undefined
  const asks: BookLevel[] = []
  pos = scanQuotedLevels(raw, pos + 5, asks)
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
  // Exact-length copies (core's frame-scan.ts says why).
  return {
    type: 'book',
    exchange: dialect.exchange,
    symbol: raw.slice(symbolStart, symbolEnd),
    isSnapshot: false,
    bids: exactLevels(bids, bids.length),
    asks: exactLevels(asks, asks.length),
    timestamp,
    localTimestamp,
  }
}
