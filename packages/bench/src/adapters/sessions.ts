import type { BookLevel } from '@dccd/core'
import { loadCapture } from '../fixtures.js'
import { krakenReferenceChecksum } from '../kraken-reference-checksum.js'
import { binanceStream } from '../book/frames.js'
import { generateStream, type GeneratedStream } from '../book/generate.js'

/**
 * A session as the adapter sees it: WebSocket frames as raw text and, for
 * Binance, the REST snapshot bodies at the point they arrive.
 */
export interface WireSession {
  readonly name: string
  readonly frames: readonly WireFrame[]
  /** Frames carrying book data (the rest: tickers, trades, control). */
  readonly bookFrames: number
}

export interface WireFrame {
  readonly kind: 'ws' | 'rest'
  readonly raw: string
  /** For `rest`: the symbol of the snapshot. */
  readonly symbol?: string
  /** Local receive time, µs. */
  readonly receivedAt: number
}

/** The Binance capture's frames and REST snapshots, in capture order. */
export function binanceCaptureSession(): WireSession {
  const frames: WireFrame[] = []
  let bookFrames = 0
  for (const line of loadCapture('binance-spot-2021-10-12')) {
    const receivedAt = Math.round(line.t * 1000)
    if (line.dir === 'rest') {
      const symbol = new URL(line.url!).searchParams.get('symbol')!
      frames.push({ kind: 'rest', raw: JSON.stringify(line.data), symbol, receivedAt })
      bookFrames++
    } else if (line.dir === 'in') {
      const raw = JSON.stringify(line.data)
      if (raw.includes('@depth')) bookFrames++
      frames.push({ kind: 'ws', raw, receivedAt })
    }
  }
  return { name: 'Binance capture', frames, bookFrames }
}

/** The Kraken capture's received frames (instrument, book, trade, heartbeat, acks), in order. */
export function krakenCaptureSession(): WireSession {
  const frames: WireFrame[] = []
  let bookFrames = 0
  for (const line of loadCapture('kraken-v2-2021-04-17')) {
    if (line.dir !== 'in') continue
    const raw = JSON.stringify(line.data)
    if ((line.data as { channel?: string }).channel === 'book') bookFrames++
    frames.push({ kind: 'ws', raw, receivedAt: Math.round(line.t * 1000) })
  }
  return { name: 'Kraken capture', frames, bookFrames }
}

const START_US = 1_633_998_512_000_000
/** Levels as Binance writes them: 8-decimal strings. */
export const fixed8 = (levels: readonly BookLevel[]): string[][] => levels.map((l) => [l.price.toFixed(8), l.amount.toFixed(8)])

/**
 * The generated book stream as Binance would send it: combined-stream
 * `depthUpdate` frames with chained update ids and 8-decimal strings, and
 * the REST snapshot arriving right after the first event (as when a client
 * fetches it after subscribing).
 */
export function binanceGeneratedSession(stream: GeneratedStream = generateStream(nknSnapshot())): WireSession {
  const [snapshot, ...deltas] = stream.frames
  let id = 1_000_000
  const frames: WireFrame[] = []
  deltas.forEach((frame, i) => {
    const count = frame.bids.length + frame.asks.length
    const data = { e: 'depthUpdate', E: 1_633_998_512_000 + i * 100, s: 'NKNUSDT', U: id, u: id + count - 1, b: fixed8(frame.bids), a: fixed8(frame.asks) }
    frames.push({ kind: 'ws', raw: JSON.stringify({ stream: 'nknusdt@depth@100ms', data }), receivedAt: START_US + i * 100_000 })
    if (i === 0) {
      const body = { lastUpdateId: id - 1, bids: fixed8(snapshot!.bids), asks: fixed8(snapshot!.asks) }
      frames.push({ kind: 'rest', raw: JSON.stringify(body), symbol: 'NKNUSDT', receivedAt: START_US + 50_000 })
    }
    id += count
  })
  return { name: 'Binance generated', frames, bookFrames: frames.length }
}

/**
 * A generated stream as Kraken v2 would send it for `NKN/USD` at depth 1000:
 * an `instrument` snapshot (8 price and 8 qty decimals), a book snapshot of
 * the best `levels` per side, then one update message per frame with the
 * checksum Kraken would compute, done here independently of dccd (decimal
 * strings and `zlib.crc32`).
 */
export function krakenGeneratedSession(updates = 250_000, levels = 500): { session: WireSession; stream: GeneratedStream } {
  const full = nknSnapshot()
  const start = { bids: full.bids.slice(0, levels), asks: full.asks.slice(0, levels) }
  const checksums: number[] = []
  const stream = generateStream(start, {
    updates,
    seed: 17042021,
    symbol: 'NKN/USD',
    onFrame: (top) => checksums.push(krakenReferenceChecksum(top('asks', 10), top('bids', 10))),
  })
  const [snapshot, ...deltas] = stream.frames
  const instrument = {
    channel: 'instrument',
    type: 'snapshot',
    data: { assets: [], pairs: [{ symbol: 'NKN/USD', base: 'NKN', quote: 'USD', status: 'online', qty_precision: 8, price_precision: 8, price_increment: 0.0001 }] },
  }
  const frames: WireFrame[] = [{ kind: 'ws', raw: JSON.stringify(instrument), receivedAt: START_US }]
  const flat = (side: readonly BookLevel[]): number[] => side.flatMap((l) => [l.price, l.amount])
  const book = (type: string, bids: readonly BookLevel[], asks: readonly BookLevel[], checksum: number, t: number): string =>
    JSON.stringify({
      channel: 'book',
      type,
      data: [
        {
          symbol: 'NKN/USD',
          bids: bids.map((l) => ({ price: l.price, qty: l.amount })),
          asks: asks.map((l) => ({ price: l.price, qty: l.amount })),
          checksum,
          timestamp: new Date(t / 1000).toISOString().replace('Z', `${String(t % 1000).padStart(3, '0')}Z`),
        },
      ],
    })
  const snapshotChecksum = krakenReferenceChecksum(flat(snapshot!.asks).slice(0, 20), flat(snapshot!.bids).slice(0, 20))
  frames.push({ kind: 'ws', raw: book('snapshot', snapshot!.bids, snapshot!.asks, snapshotChecksum, START_US + 1000), receivedAt: START_US + 1000 })
  deltas.forEach((frame, i) => {
    const t = START_US + 2000 + i * 1013
    frames.push({ kind: 'ws', raw: book('update', frame.bids, frame.asks, checksums[i]!, t), receivedAt: t + 500 })
  })
  return { session: { name: 'Kraken generated', frames, bookFrames: frames.length - 1 }, stream }
}

/** The real NKNUSDT snapshot (609 bids, 1000 asks) the generated streams start from. */
export function nknSnapshot(): { bids: readonly BookLevel[]; asks: readonly BookLevel[] } {
  return binanceStream().frames.find((f) => f.isSnapshot && f.book === 0)!
}
