/**
 * The feed's fast path for book updates, 98 % of a book feed's frames: reads
 * the layout Kraken v2 sends, character for character, into the levels the
 * book applies, without `JSON.parse` building an object per level first.
 *
 * It only ever recognizes: a frame it accepts is valid JSON that `parseFrame`
 * would read to the same symbol, levels, checksum and timestamp. Anything else
 * (a snapshot, another channel, several entries, other key order, whitespace,
 * escapes, signs, exponents, a number past 2^53) returns false, and the feed
 * takes the general path, whose checks and errors apply. Accepted, with no
 * whitespace:
 *
 *   {"channel":"book","type":"update","data":[{"symbol":"<text>","bids":[<levels>],
 *     "asks":[<levels>],"checksum":<int>,"timestamp":"<text>"}]}
 *
 * a level being `{"price":<number>,"qty":<number>}` (JSON numbers ≥ 0, no exponent),
 * and the timestamp `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` (core's `scanIsoTimestamp`,
 * read in place: on a busy feed, slicing it out and reading the copy cost
 * more than the rest of the book sync's checks together).
 */
import { exactLevels, scanInteger, scanIsoTimestamp, scanLiteral, scanned, scanNumber, scanStringEnd } from '@dccd/core'
import type { BookLevel } from '@dccd/core'

const HEAD = '{"channel":"book","type":"update","data":[{"symbol":"'
const BIDS = '","bids":'
const ASKS = ',"asks":'
const PRICE = '{"price":'
const QTY = ',"qty":'

/** One scanned update: what `BookSync.applyUpdate` takes. Fresh level arrays per frame (they go into the event). */
export interface ScannedBookUpdate {
  symbol: string
  bids: BookLevel[]
  asks: BookLevel[]
  checksum: number
  /** The entry's `timestamp`, µs since the epoch (read, not yet checked for plausibility). */
  timestamp: number
}

/**
 * A book update of the layout above → true, its content written into `into`;
 * false (and `into` not to be read) for any other frame.
 */
export function scanBookUpdate(raw: string, into: ScannedBookUpdate): boolean {
  if (!scanLiteral(raw, 0, HEAD)) return false
  const symbolStart = HEAD.length
  let pos = scanStringEnd(raw, symbolStart)
  if (pos < 0) return false
  const symbolEnd = pos
  // Both sides, and in them price then quantity, through one copy each of the literal check and the
  // number read: every inlined copy is more for V8 to compile while a fresh feed runs slow code. For
  // the same reason the level lists are read here rather than in a helper: V8 compiled the helper on
  // its own and again inlined into the scan (`--trace-opt`: 27–42 ms of a fresh feed's first 150).
  let bidCount = 0
  let askCount = 0
  for (let key = BIDS; ; key = ASKS) {
    if (!scanLiteral(raw, pos, key)) return false
    pos += key.length
    const out = key === BIDS ? scratchBids : scratchAsks
    let count = 0
    if (raw.charCodeAt(pos) !== 91 /* [ */) return false
    pos++
    if (raw.charCodeAt(pos) === 93 /* ] */) pos++
    else {
      for (;;) {
        let price = 0
        for (let field = PRICE; ; field = QTY) {
          if (!scanLiteral(raw, pos, field)) return false
          pos = scanNumber(raw, pos + field.length)
          if (pos < 0) return false
          if (field === QTY) break
          price = scanned[0]!
        }
        if (raw.charCodeAt(pos) !== 125 /* } */) return false
        // Written in order from index 0, so the array never has holes (it stays a packed array).
        out[count++] = { price, amount: scanned[0]! }
        const next = raw.charCodeAt(pos + 1)
        pos += 2
        // Both compares run for the usual one-level side, so V8 has feedback for them when it compiles;
        // tested the other way round, a second level (rare at first) cost a deopt and a recompile.
        if (next !== 44 /* , */) {
          if (next !== 93 /* ] */) return false
          break
        }
      }
    }
    if (key === ASKS) {
      askCount = count
      break
    }
    bidCount = count
  }
  if (!scanLiteral(raw, pos, ',"checksum":')) return false
  pos = scanInteger(raw, pos + 12)
  if (pos < 0 || !scanLiteral(raw, pos, ',"timestamp":"')) return false
  const checksum = scanned[0]!
  // The timestamp runs to the closing `"}]}`; every character of it is checked against the layout.
  const timestampEnd = raw.length - 4
  if (!scanLiteral(raw, timestampEnd, '"}]}')) return false
  const timestamp = scanIsoTimestamp(raw, pos + 14, timestampEnd)
  if (timestamp !== timestamp) return false // NaN: another layout, for the general path
  into.symbol = raw.slice(symbolStart, symbolEnd)
  // Exact-length copies (core's frame-scan.ts says why).
  into.bids = exactLevels(scratchBids, bidCount)
  into.asks = exactLevels(scratchAsks, askCount)
  into.checksum = checksum
  into.timestamp = timestamp
  return true
}

// The scan's own level lists, written from the start each frame and copied
// out at exact length: an array per side and frame, grown by its first push to room for 16
// levels, was a third of what a scanned frame allocated. Scanning is synchronous and never re-entered.
// Made long enough up front that writing a side never grows them: a store past the end, first met
// after V8 optimized the scan (a side deeper than any before), threw that code away (`--trace-deopt`:
// "out of bounds"). A deeper side still works; it grows the list once.
const SCRATCH_PLACEHOLDER: BookLevel = { price: 0, amount: 0 }
const scratchBids: BookLevel[] = Array.from({ length: 64 }, () => SCRATCH_PLACEHOLDER)
const scratchAsks: BookLevel[] = Array.from({ length: 64 }, () => SCRATCH_PLACEHOLDER)
