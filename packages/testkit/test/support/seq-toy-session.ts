/**
 * A session of the "seq toy" venue, modelled on OKX v5: book messages chained
 * by `seqId`/`prevSeqId` (each update's `prevSeqId` is the previous message's
 * `seqId`; ids grow by 1 + the number of levels, so they are not consecutive),
 * trades with consecutive ids per symbol, 1m candles. Two flavours of book
 * snapshot: sent on the socket after subscribing (`resubscribe` venues), or
 * fetched over REST while updates are buffered (`rest-snapshot` venues).
 */
import type { SessionFrame } from '../../src/index.js'
import { SeededRandom } from '../../src/index.js'

export type SeqToyMode = 'resubscribe' | 'rest-snapshot'

export const SEQ_SYMBOLS = ['AAA-BBB', 'CCC-DDD']
export const SEQ_REST = 'https://api.seq.example'
const T0 = 1633998512000
/** Ticks of market activity; with TICK_MS this spans about 2 s of capture time. */
const TICKS = 160
const TICK_MS = 12

export type Level = [price: number, amount: number]

export interface SeqBookData {
  bids: Level[]
  asks: Level[]
  seqId: number
  prevSeqId: number
  ts: number
}
export interface SeqTradeData {
  tradeId: string
  px: number
  sz: number
  side: 'buy' | 'sell'
  ts: number
}
export type SeqMessage =
  | { arg: { channel: 'books'; instId: string }; action: 'snapshot' | 'update'; data: [SeqBookData] }
  | { arg: { channel: 'trades'; instId: string }; data: SeqTradeData[] }
  | { arg: { channel: 'candle1m'; instId: string }; data: [[number, number, number, number, number, number, boolean]] }
  | { event: string }

interface Book {
  bids: Map<number, number>
  asks: Map<number, number>
  seqId: number
}

const sorted = (side: Map<number, number>, sign: 1 | -1): Level[] => [...side].sort((a, b) => sign * (a[0] - b[0]))
const snapshotOf = (book: Book, ts: number): SeqBookData => ({ bids: sorted(book.bids, -1), asks: sorted(book.asks, 1), seqId: book.seqId, prevSeqId: -1, ts })

export function seqToySession(mode: SeqToyMode): SessionFrame[] {
  const random = new SeededRandom(12)
  const frames: SessionFrame[] = []
  let t = T0
  const add = (data: unknown): void => void frames.push({ t, dir: 'in', data })
  add({ event: 'hello' })
  frames.push({ t, dir: 'out', data: { op: 'subscribe' } })
  add({ event: 'subscribe' })
  const books = new Map<string, Book>()
  const tradeIds = new Map<string, number>()
  SEQ_SYMBOLS.forEach((symbol, i) => {
    const book: Book = { bids: new Map([[100, 1], [99, 2]]), asks: new Map([[101, 1], [102, 3]]), seqId: 10_000 * (i + 1) }
    books.set(symbol, book)
    tradeIds.set(symbol, 1000 * (i + 1))
    if (mode === 'resubscribe') add({ arg: { channel: 'books', instId: symbol }, action: 'snapshot', data: [snapshotOf(book, t)] })
  })
  for (let tick = 0; tick < TICKS; tick++) {
    t = T0 + (tick + 1) * TICK_MS
    for (const symbol of SEQ_SYMBOLS) {
      const book = books.get(symbol)!
      const bids: Level[] = []
      const asks: Level[] = []
      for (let n = random.int(1, 2); n > 0; n--) {
        const isBid = random.chance(0.5)
        const level: Level = [isBid ? 96 + random.int(0, 4) : 101 + random.int(0, 4), random.pick([0, 1, 2, 5])]
        ;(isBid ? bids : asks).push(level)
        const side = isBid ? book.bids : book.asks
        if (level[1] === 0) side.delete(level[0])
        else side.set(level[0], level[1])
      }
      const prevSeqId = book.seqId
      book.seqId += 1 + bids.length + asks.length
      add({ arg: { channel: 'books', instId: symbol }, action: 'update', data: [{ bids, asks, seqId: book.seqId, prevSeqId, ts: t }] })
      if (tick % 2 === 0) {
        const count = random.int(1, 2)
        const data: SeqTradeData[] = []
        for (let k = 0; k < count; k++) {
          const id = tradeIds.get(symbol)! + 1
          tradeIds.set(symbol, id)
          data.push({ tradeId: String(id), px: 100.5, sz: 0.25, side: id % 3 === 0 ? 'buy' : 'sell', ts: t })
        }
        add({ arg: { channel: 'trades', instId: symbol }, data })
      }
      if (tick % 20 === 0) add({ arg: { channel: 'candle1m', instId: symbol }, data: [[T0 - (T0 % 60_000), 100, 102, 99, 101, 12 + tick, false]] })
      // The REST snapshot was taken after the stream had started (as Binance's are): updates before it are buffered.
      if (mode === 'rest-snapshot' && tick === 3) {
        frames.push({ t, dir: 'rest', url: `${SEQ_REST}/books?instId=${symbol}`, data: snapshotOf(book, t) })
      }
    }
  }
  frames.push({ t, dir: 'rest', url: `${SEQ_REST}/instruments`, data: [...SEQ_SYMBOLS, 'EEE-FFF'] })
  return frames
}

/** `symbol`'s book after the last of `history`'s book messages: what a fresh snapshot must say. */
export function seqBookAt(history: readonly SessionFrame[], symbol: string): SeqBookData {
  const book: Book = { bids: new Map(), asks: new Map(), seqId: 0 }
  let ts = 0
  for (const frame of history) {
    const message = frame.data as SeqMessage | null
    const data = frame.dir === 'rest' && frame.url === `${SEQ_REST}/books?instId=${symbol}` ? (frame.data as SeqBookData) : undefined
    const isOwnBook = frame.dir === 'in' && message !== null && 'arg' in message && message.arg.channel === 'books' && message.arg.instId === symbol
    const entry = data ?? (isOwnBook ? (message.data[0] as SeqBookData) : undefined)
    if (entry === undefined) continue
    const snapshot = data !== undefined || (message as { action?: string }).action === 'snapshot'
    // A REST snapshot may be older than updates already recorded before it.
    if (!snapshot && entry.seqId <= book.seqId) continue
    if (snapshot) {
      if (entry.seqId < book.seqId) continue
      book.bids.clear()
      book.asks.clear()
    }
    for (const [price, amount] of entry.bids) amount === 0 ? book.bids.delete(price) : book.bids.set(price, amount)
    for (const [price, amount] of entry.asks) amount === 0 ? book.asks.delete(price) : book.asks.set(price, amount)
    book.seqId = entry.seqId
    ts = entry.ts
  }
  return snapshotOf(book, ts)
}

/** Every trade of the session (the exchange's trade history). */
export function seqTrades(session: readonly SessionFrame[]): Array<SeqTradeData & { instId: string }> {
  return session.flatMap((frame) => {
    const message = frame.data as SeqMessage | null
    if (frame.dir !== 'in' || message === null || !('arg' in message) || message.arg.channel !== 'trades') return []
    return (message.data as SeqTradeData[]).map((trade) => ({ ...trade, instId: message.arg.instId }))
  })
}
