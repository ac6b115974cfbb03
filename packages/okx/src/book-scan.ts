/**
 * The feed's fast path for `books` updates: reads the layout OKX v5 sends,
 * character for character, into the book message, without `JSON.parse`
 * building four strings and an array per level first (an OKX update frame is
 * ~800 bytes, most of it levels).
 *
 * It only ever recognizes: a frame it accepts is valid JSON that `parseFrame`
 * reads to the same message. Anything else (a snapshot, `books5`, another
 * channel, several rows, other key order, whitespace, escapes, exponents, a
 * number past 2^53, an implausible time) returns undefined, and the feed
 * takes `parseFrame`, whose checks and errors apply. Accepted, with no
 * whitespace:
 *
 *   {"arg":{"channel":"books","instId":"<text>"},"action":"update","data":[{"asks":[<levels>],
 *     "bids":[<levels>],"ts":"<int>","checksum":<int>,"prevSeqId":<int>,"seqId":<int>}]}
 *
 * a level being `["<decimal>","<decimal>","<text>","<text>"]` (price, size, the
 * deprecated liquidated-orders count and the order count, which dccd does not read).
 *
 * The message carries no wire levels (`data`): only a book that verifies
 * checksums reads them, and the feed gives such a book the general path.
 */
import { exactLevels, isPlausibleExchangeTime, scanInteger, scanLiteral, scanned, scanQuotedLevels, scanStringEnd } from '@dccd/core'
import type { BookLevel } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import type { OkxBookMessage } from './parse.js'

const HEAD = '{"arg":{"channel":"books","instId":"'
const ACTION = '"},"action":"update","data":[{"asks":'

/**
 * A `books` update of the layout above → the message `parseFrame` would
 * return (without wire levels); undefined for any other frame.
 *
 * @param receivedAt receive time, µs (judges `ts`)
 */
export function scanBookUpdate(raw: string, receivedAt: number): OkxBookMessage | undefined {
  if (!scanLiteral(raw, 0, HEAD)) return undefined
  const symbolStart = HEAD.length
  let pos = scanStringEnd(raw, symbolStart)
  if (pos <= symbolStart || !scanLiteral(raw, pos, ACTION)) return undefined
  const symbolEnd = pos
  const asks: BookLevel[] = []
  pos = scanQuotedLevels(raw, pos + ACTION.length, asks, 2)
  if (pos < 0 || !scanLiteral(raw, pos, ',"bids":')) return undefined
  const bids: BookLevel[] = []
  pos = scanQuotedLevels(raw, pos + 8, bids, 2)
  if (pos < 0 || !scanLiteral(raw, pos, ',"ts":"')) return undefined
  pos = scanInteger(raw, pos + 7)
  if (pos < 0 || !scanLiteral(raw, pos, '","checksum":')) return undefined
  const timestamp = scanned[0]! * 1000
  if (!isPlausibleExchangeTime(timestamp, receivedAt)) return undefined
  pos = signedInteger(raw, pos + 13)
  if (pos < 0 || !scanLiteral(raw, pos, ',"prevSeqId":')) return undefined
  const checksum = scanned[0]!
  pos = signedInteger(raw, pos + 13)
  if (pos < 0 || !scanLiteral(raw, pos, ',"seqId":')) return undefined
  const prevSeqId = scanned[0]!
  pos = signedInteger(raw, pos + 9)
  if (pos < 0 || pos + 3 !== raw.length || !scanLiteral(raw, pos, '}]}')) return undefined
  const seqId = scanned[0]!
  const symbol = raw.slice(symbolStart, symbolEnd)
  return {
    type: 'book',
    symbol,
    channel: 'books',
    isSnapshot: false,
    seqId,
    prevSeqId,
    checksum,
    // Exact-length copies (core's frame-scan.ts says why).
    event: { type: 'book', exchange: EXCHANGE_ID, symbol, isSnapshot: false, bids: exactLevels(bids, bids.length), asks: exactLevels(asks, asks.length), timestamp, localTimestamp: receivedAt },
  }
}

/** An integer, possibly negative (checksums are signed, a snapshot's `prevSeqId` is -1), as `scanInteger` reads one; `-0` declined. */
function signedInteger(raw: string, pos: number): number {
  if (raw.charCodeAt(pos) !== 45 /* - */) return scanInteger(raw, pos)
  const end = scanInteger(raw, pos + 1)
  if (end < 0 || scanned[0] === 0) return -1
  scanned[0] = -scanned[0]!
  return end
}
