import type { BookLevel } from '@dccd/core'
import { loadCapture } from '../fixtures.js'

/**
 * One book message, already parsed to numbers, for one of several books
 * (`book` indexes the symbol). Every implementation under test gets the
 * same frames; none may mutate them.
 */
export interface Frame {
  readonly book: number
  readonly isSnapshot: boolean
  readonly bids: readonly BookLevel[]
  readonly asks: readonly BookLevel[]
}

/** A replayable book stream: frames over `books` symbols. */
export interface BookStream {
  readonly name: string
  readonly books: number
  readonly frames: readonly Frame[]
  /** Level updates in the stream (snapshot levels included). */
  readonly levels: number
  /** Symbol of each book index. */
  readonly symbols: readonly string[]
}

type Pair = [string, string]

interface BinanceDepth {
  readonly s: string
  readonly U: number
  readonly u: number
  readonly b: Pair[]
  readonly a: Pair[]
}

const toLevels = (pairs: readonly Pair[]): BookLevel[] => pairs.map(([p, q]) => ({ price: +p, amount: +q }))

/**
 * The Binance capture as a synced book stream, the documented way: each
 * symbol starts at its REST snapshot, followed by the buffered and later
 * depth events whose final id `u` is past the snapshot's `lastUpdateId`.
 */
export function binanceStream(): BookStream {
  const symbols = new Map<string, number>()
  const pending = new Map<string, BinanceDepth[]>()
  const synced = new Map<string, number>()
  const frames: Frame[] = []
  const push = (symbol: string, event: BinanceDepth): void => {
    if (event.u <= synced.get(symbol)!) return
    frames.push({ book: symbols.get(symbol)!, isSnapshot: false, bids: toLevels(event.b), asks: toLevels(event.a) })
  }
  for (const line of loadCapture('binance-spot-2021-10-12')) {
    if (line.dir === 'rest') {
      const symbol = new URL(line.url!).searchParams.get('symbol')!
      const body = line.data as { lastUpdateId: number; bids: Pair[]; asks: Pair[] }
      symbols.set(symbol, symbols.size)
      synced.set(symbol, body.lastUpdateId)
      frames.push({ book: symbols.get(symbol)!, isSnapshot: true, bids: toLevels(body.bids), asks: toLevels(body.asks) })
      for (const event of pending.get(symbol) ?? []) push(symbol, event)
      continue
    }
    const message = line.data as { stream?: string; data?: BinanceDepth } | null
    if (line.dir !== 'in' || !message?.stream?.includes('@depth')) continue
    const event = message.data!
    if (synced.has(event.s)) push(event.s, event)
    else pending.set(event.s, [...(pending.get(event.s) ?? []), event])
  }
  return finish('Binance capture', [...symbols.keys()], frames)
}

interface KrakenBook {
  readonly symbol: string
  readonly bids: { price: number; qty: number }[]
  readonly asks: { price: number; qty: number }[]
}

/** The Kraken v2 capture's book snapshots and updates, in order. */
export function krakenStream(): BookStream {
  const symbols = new Map<string, number>()
  const frames: Frame[] = []
  for (const line of loadCapture('kraken-v2-2021-04-17')) {
    const message = line.data as { channel?: string; type?: string; data?: KrakenBook[] } | null
    if (line.dir !== 'in' || message?.channel !== 'book') continue
    for (const book of message.data!) {
      if (!symbols.has(book.symbol)) symbols.set(book.symbol, symbols.size)
      frames.push({
        book: symbols.get(book.symbol)!,
        isSnapshot: message.type === 'snapshot',
        bids: book.bids.map((l) => ({ price: l.price, amount: l.qty })),
        asks: book.asks.map((l) => ({ price: l.price, amount: l.qty })),
      })
    }
  }
  return finish('Kraken capture', [...symbols.keys()], frames)
}

/** Counts the levels and packages a stream. */
export function finish(name: string, symbols: readonly string[], frames: Frame[]): BookStream {
  let levels = 0
  for (const f of frames) levels += f.bids.length + f.asks.length
  return { name, books: symbols.length, frames, levels, symbols }
}
