/** Feeds a session's frames straight into a BookSyncs (no socket), with a consumer book and a reference beside it. */
import { OrderBook } from '@dccd/core'
import type { BookEvent, BookLevel, StatusEvent } from '@dccd/core'
import { BookSyncs } from './book-syncs.js'
import { ReferenceBook } from '../../scripts/reference-book.js'
import type { SessionLine } from '../../scripts/session.js'

export const CAPTURE = new URL('../fixtures/v2-2021-04-17.jsonl', import.meta.url)
export const CAPTURE_DEPTH10 = new URL('../fixtures/v2-2021-04-17.depth10.jsonl', import.meta.url)

export interface BookReplay {
  sync: BookSyncs
  events: (BookEvent | StatusEvent)[]
  /** Books rebuilt by a consumer from the emitted events alone. */
  consumer: Map<string, OrderBook>
  /** Books rebuilt naively from the raw frames, truncated to the depth after each message. */
  reference: Map<string, ReferenceBook>
  /** Levels emitted with amount 0 that the frame did not contain (truncation removals). */
  implicitRemovals: number
  /** Most levels any side held after a message. */
  maxLevels: number
}

/** Replays every instrument and book frame of `lines` at `depth`. */
export function replayBooks(lines: readonly SessionLine[], depth: number): BookReplay {
  const sync = new BookSyncs(depth)
  const replay: BookReplay = { sync, events: [], consumer: new Map(), reference: new Map(), implicitRemovals: 0, maxLevels: 0 }
  for (const line of lines) {
    if (line.dir !== 'in') continue
    const frame = line.data
    if (frame.channel === 'instrument') {
      for (const pair of frame.data.pairs) sync.setPrecision(pair.symbol, pair.price_precision, pair.qty_precision)
    }
    if (frame.channel !== 'book') continue
    for (const entry of frame.data) {
      const isSnapshot = frame.type === 'snapshot'
      const event = sync.apply(isSnapshot, entry, Math.round(line.t * 1000))
      if (event === undefined) continue
      replay.events.push(event)
      let reference = replay.reference.get(entry.symbol)
      if (reference === undefined) replay.reference.set(entry.symbol, (reference = new ReferenceBook()))
      if (isSnapshot) reference.load(entry.bids, entry.asks)
      else reference.apply(entry.bids, entry.asks)
      reference.truncate(depth)
      if (event.type !== 'book') continue
      let consumer = replay.consumer.get(entry.symbol)
      if (consumer === undefined) replay.consumer.set(entry.symbol, (consumer = new OrderBook()))
      consumer.apply(event)
      replay.implicitRemovals += event.bids.length - entry.bids.length + event.asks.length - entry.asks.length
      replay.maxLevels = Math.max(replay.maxLevels, consumer.bidCount, consumer.askCount)
    }
  }
  return replay
}

/** A book's levels as plain arrays, best first, for equality assertions. */
export function levelsOf(book: OrderBook): { bids: BookLevel[]; asks: BookLevel[] } {
  return { bids: [...book.bids()], asks: [...book.asks()] }
}

/** A reference book's levels in the same shape. */
export function referenceLevels(book: ReferenceBook): { bids: BookLevel[]; asks: BookLevel[] } {
  const shape = (levels: { price: number; qty: number }[]): BookLevel[] => levels.map(({ price, qty }) => ({ price, amount: qty }))
  return { bids: shape(book.top('bids')), asks: shape(book.top('asks')) }
}
