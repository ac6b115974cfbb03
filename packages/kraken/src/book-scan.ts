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
  // Both sides through one call of `levels` (one inlined copy for V8 to compile, see `levels`).
  let bidCount = 0
  for (let key = BIDS; ; key = ASKS) {
    if (!scanLiteral(raw, pos, key)) return false
    pos = levels(raw, pos + key.length, key === BIDS ? scratchBids : scratchAsks)
    if (pos < 0) return false
    if (key === ASKS) break
    bidCount = levelCount
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
  into.asks = exactLevels(scratchAsks, levelCount)
  into.checksum = checksum
  into.timestamp = timestamp
  return true
}

// The scan's own level lists, written from the start each frame (`levelCount` levels) and copied
// out at exact length: an array per side and frame, grown by its first push to room for 16
// levels, was a third of what a scanned frame allocated. Scanning is synchronous and never re-entered.
const scratchBids: BookLevel[] = []
const scratchAsks: BookLevel[] = []
let levelCount = 0

/** `[]` or `[{"price":<n>,"qty":<n>},…]` at `pos` → the position after it, the levels in `out[0, levelCount)`; -1 otherwise. */
function levels(raw: string, pos: number, out: BookLevel[]): number {
  levelCount = 0
  if (raw.charCodeAt(pos) !== 91 /* [ */) return -1
  pos++
  if (raw.charCodeAt(pos) === 93 /* ] */) return pos + 1
  for (;;) {
    // Price then quantity through one literal check and one number read: each inlined copy of
    // the readers is more for V8 to compile while a fresh feed runs slow code.
    let price = 0
    for (let key = PRICE; ; key = QTY) {
      if (!scanLiteral(raw, pos, key)) return -1
      pos = scanNumber(raw, pos + key.length)
      if (pos < 0) return -1
      if (key === QTY) break
      price = scanned[0]!
    }
    if (raw.charCodeAt(pos) !== 125 /* } */) return -1
    // Written in order from index 0, so the array never has holes (it stays a packed array).
    out[levelCount++] = { price, amount: scanned[0]! }
    const next = raw.charCodeAt(pos + 1)
    pos += 2
    // Both compares run for the usual one-level side, so V8 has feedback for them when it compiles;
    // tested the other way round, a second level (rare at first) cost a deopt and a recompile.
    if (next !== 44 /* , */) return next === 93 /* ] */ ? pos : -1
  }
}
