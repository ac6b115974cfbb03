/**
 * The Kraken v2 capture looped into a session of any length, with valid
 * checksums throughout. Book updates set absolute quantities, so after the
 * first loop the books differ from where the capture had them and Kraken's
 * captured checksums no longer hold: every update's checksum is computed here
 * again, from a book kept the way Kraken's docs say a client keeps one
 * (./kraken-depth-book.ts). The first loop must reproduce the captured
 * checksums exactly, which checks this book and checksum against Kraken's
 * own. Trade ids continue per pair across loops (`trade_id` is a per-pair
 * sequence).
 *
 * Flood: the five book snapshots, then the loop body (book updates, trades
 * and heartbeats in capture order). The status frame, the acks and the
 * instrument snapshot are answers the server gives (./kraken-venue.ts).
 */
import { loadCapture } from '../fixtures.js'
import { KrakenDepthBook, type KrakenBookEntry, type KrakenPair } from './kraken-depth-book.js'
import { emptyTallies, type E2eSession } from './session.js'

interface KrakenTrade {
  readonly symbol: string
  readonly trade_id: number
}

interface KrakenData {
  readonly channel: string
  readonly type?: string
  readonly data?: unknown
}

/** A Kraken session plus the frames the server sends as answers. */
export interface KrakenE2eSession extends E2eSession {
  /** The captured `status` frame, sent on connect. */
  readonly statusFrame: string
  /** The captured `instrument` snapshot, sent when a client subscribes to `instrument`. */
  readonly instrumentFrame: string
}

/** `frameCount` data frames: the snapshots, then the loop body played until they are made. */
export function krakenLoopSession(frameCount: number): KrakenE2eSession {
  const incoming = loadCapture('kraken-v2-2021-04-17')
    .filter((line) => line.dir === 'in')
    .map((line) => line.data as KrakenData)
  const instrument = incoming.find((m) => m.channel === 'instrument')!
  const pairs = new Map((instrument.data as { pairs: KrakenPair[] }).pairs.map((pair) => [pair.symbol, pair]))
  // From the first book snapshot on (heartbeats before it belong to the subscription phase).
  const streamed = incoming.filter((m) => m.channel === 'book' || m.channel === 'trade' || m.channel === 'heartbeat')
  const data = streamed.slice(streamed.findIndex((m) => m.type === 'snapshot'))
  const snapshots = data.filter((m) => m.type === 'snapshot')
  if (data.findIndex((m) => m.type !== 'snapshot') !== snapshots.length) throw new Error('Kraken capture: book snapshots do not lead the data')
  const body = data.slice(snapshots.length)
  const symbols = snapshots.map((m) => (m.data as KrakenBookEntry[])[0]!.symbol)
  const books = new Map(symbols.map((symbol) => [symbol, new KrakenDepthBook(pairs.get(symbol)!)]))
  const tradeBase = new Map<string, number>()
  for (const m of body) if (m.channel === 'trade') for (const t of m.data as KrakenTrade[]) if (!tradeBase.has(t.symbol)) tradeBase.set(t.symbol, t.trade_id)
  const perSymbol = emptyTallies(symbols)
  const mix = { book: 0, trade: 0, other: 0 }
  const frames: string[] = []
  /** A book frame with every entry's checksum recomputed; in the first loop it must equal the captured one. */
  const book = (m: KrakenData, check: boolean): string => {
    const entries = (m.data as KrakenBookEntry[]).map((entry) => {
      const book = books.get(entry.symbol)!
      book.apply(entry, m.type === 'snapshot')
      const checksum = book.checksum()
      if (check && checksum !== entry.checksum) {
        throw new Error(`Kraken capture: ${entry.symbol} checksum ${entry.checksum}, reference book gives ${checksum}`)
      }
      perSymbol[entry.symbol]!.bookEvents++
      return { ...entry, checksum }
    })
    mix.book++
    return JSON.stringify({ ...m, data: entries })
  }
  for (const m of snapshots) if (frames.length < frameCount) frames.push(book(m, true))
  for (let i = 0; frames.length < frameCount; i++) {
    const m = body[i % body.length]!
    if (m.channel === 'book') {
      frames.push(book(m, i < body.length))
    } else if (m.channel === 'trade') {
      const trades = (m.data as KrakenTrade[]).map((t) => {
        const tally = perSymbol[t.symbol]!
        const id = tradeBase.get(t.symbol)! + tally.trades++
        tally.lastTradeId = id
        return { ...t, trade_id: id }
      })
      frames.push(JSON.stringify({ ...m, data: trades }))
      mix.trade++
    } else {
      frames.push(JSON.stringify(m))
      mix.other++
    }
  }
  return {
    frames,
    statusFrame: JSON.stringify(incoming.find((m) => m.channel === 'status')),
    instrumentFrame: JSON.stringify(instrument),
    expected: {
      exchange: 'kraken',
      symbols,
      frames: frames.length,
      mix,
      loops: Math.ceil(Math.max(0, frameCount - snapshots.length) / body.length),
      perSymbol,
      books: Object.fromEntries([...books].map(([symbol, b]) => [symbol, b.dump()])),
    },
  }
}
