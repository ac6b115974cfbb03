/**
 * What an adapter does with each frame, built from the adapters' exported
 * API: parse → normalize (book sync) → apply to a local `OrderBook`. The
 * floor is `JSON.parse` of the same frames and nothing else.
 */
import { BookSync, FUTURES_DEPTH_CONTINUITY, parseFrame as parseBinanceFrame, SPOT_DEPTH_CONTINUITY, SPOT_DIALECT, USDM_DIALECT } from '@dccd/binance'
import type { BinanceDepthSnapshot, BinanceDialect, DepthContinuity } from '@dccd/binance'
import { isoToMicros, OrderBook } from '@dccd/core'
import type { BookLevel, MarketEvent } from '@dccd/core'
import { BookSync as KrakenBookSync, scanBookUpdate } from '@dccd/kraken'
import type { ScannedBookUpdate } from '@dccd/kraken'
import { BookSync as OkxBookSync, parseFrame as parseOkxFrame, scanBookUpdate as scanOkxBookUpdate } from '@dccd/okx'
import type { WireSession } from './sessions.js'

/** Result of one pipeline pass: the books it ended with and what it counted. */
export interface PipelineResult {
  readonly books: Map<string, OrderBook>
  /**
   * The per-symbol book syncs the pass ended with. The harness keeps a case's
   * last result until its next run, so the syncs live on as a feed's do: once
   * every instance of a class is collected, V8 drops the machine code that
   * was specialised to it, and each run would re-measure warm-up (BENCHMARKS.md,
   * "weak objects").
   */
  readonly syncs: ReadonlyMap<string, unknown>
  readonly bookEvents: number
  readonly resyncs: number
}

/** The floor: `JSON.parse` of every frame (and REST body) of the session, nothing else. */
export function jsonParseOnly(session: WireSession, repeat: number): number {
  let keys = 0
  for (let r = 0; r < repeat; r++) {
    const frames = session.frames
    for (let i = 0; i < frames.length; i++) {
      const value = JSON.parse(frames[i]!.raw) as object
      if (value !== null) keys++
    }
  }
  return keys
}

/** A Binance market as the pipelines need it: how its frames read and how its books are proven contiguous. */
export interface BinancePipelineMarket {
  readonly dialect: BinanceDialect
  readonly continuity: DepthContinuity
}

export const BINANCE_SPOT: BinancePipelineMarket = { dialect: SPOT_DIALECT, continuity: SPOT_DEPTH_CONTINUITY }
export const BINANCE_USDM: BinancePipelineMarket = { dialect: USDM_DIALECT, continuity: FUTURES_DEPTH_CONTINUITY }

/** Binance, first stage only: `parseBinanceFrame` of every WebSocket frame (JSON.parse + normalize), no sync, no book. */
export function binanceParseOnly(session: WireSession, repeat: number, market: BinancePipelineMarket = BINANCE_SPOT): number {
  let messages = 0
  for (let r = 0; r < repeat; r++) {
    const frames = session.frames
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!
      if (frame.kind === 'rest') JSON.parse(frame.raw)
      else if (parseBinanceFrame(frame.raw, frame.receivedAt, market.dialect) !== undefined) messages++
    }
  }
  return messages
}

/**
 * Binance: `parseBinanceFrame` → `BookSync` per symbol (snapshot handed in
 * when the sync asks and the session has it) → `OrderBook.apply` of every
 * event it emits. `market`: spot (default) or USDⓈ-M futures.
 */
export function binancePipeline(session: WireSession, repeat: number, market: BinancePipelineMarket = BINANCE_SPOT): PipelineResult {
  let result: PipelineResult | undefined
  for (let r = 0; r < repeat; r++) {
    const books = new Map<string, OrderBook>()
    const syncs = new Map<string, BookSync>()
    const out: MarketEvent[] = []
    let bookEvents = 0
    let resyncs = 0
    const requestSnapshot = (): void => {}
    const options = { requestSnapshot, continuity: market.continuity, exchange: market.dialect.exchange }
    const applyOut = (): void => {
      for (let j = 0; j < out.length; j++) {
        const event = out[j]!
        if (event.type === 'book') {
          let book = books.get(event.symbol)
          if (book === undefined) books.set(event.symbol, (book = new OrderBook()))
          book.apply(event)
          bookEvents++
        } else if (event.type === 'status') resyncs++
      }
      out.length = 0
    }
    const frames = session.frames
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!
      if (frame.kind === 'rest') {
        const sync = syncs.get(frame.symbol!)
        if (sync === undefined) continue
        sync.onSnapshot(JSON.parse(frame.raw) as BinanceDepthSnapshot, frame.receivedAt, out)
        applyOut()
        continue
      }
      const message = parseBinanceFrame(frame.raw, frame.receivedAt, market.dialect)
      if (message === undefined || message.type !== 'depthUpdate') continue
      let sync = syncs.get(message.symbol)
      if (sync === undefined) syncs.set(message.symbol, (sync = new BookSync(message.symbol, options)))
      sync.onUpdate(message, out)
      applyOut()
    }
    result = { books, syncs, bookEvents, resyncs }
  }
  return result!
}

interface KrakenFrameShape {
  channel?: string
  type?: string
  data?: unknown
}

interface KrakenBookShape {
  symbol: string
  bids: { price: number; qty: number }[]
  asks: { price: number; qty: number }[]
  checksum: number
  timestamp?: string
}

/**
 * Kraken as its feed reads frames: book updates through `scanBookUpdate` →
 * `BookSync.applyUpdate`, every other frame `JSON.parse` → `BookSync.apply`
 * per symbol (normalize, apply to its `OrderBook`, verify the CRC32
 * checksum), precision from the `instrument` frame. Depth 1000, as the captures were subscribed.
 */
export function krakenPipeline(session: WireSession, repeat: number): PipelineResult {
  let result: PipelineResult | undefined
  for (let r = 0; r < repeat; r++) {
    const syncs = new Map<string, KrakenBookSync>()
    let bookEvents = 0
    let resyncs = 0
    const frames = session.frames
    const scanned: ScannedBookUpdate = { symbol: '', bids: [], asks: [], checksum: 0, timestamp: 0 }
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!
      // As the feed does: book updates of Kraken's layout scanned, everything else parsed.
      if (scanBookUpdate(frame.raw, scanned)) {
        const event = syncs.get(scanned.symbol)!.applyUpdate(scanned, frame.receivedAt)
        if (event === undefined) continue
        if (event.type === 'book') bookEvents++
        else resyncs++
        continue
      }
      const message = JSON.parse(frame.raw) as KrakenFrameShape
      if (message.channel === 'book') {
        const entries = message.data as KrakenBookShape[]
        for (let j = 0; j < entries.length; j++) {
          const entry = entries[j]!
          const event = syncs.get(entry.symbol)!.apply(message.type === 'snapshot', entry, frame.receivedAt)
          if (event === undefined) continue
          if (event.type === 'book') bookEvents++
          else resyncs++
        }
      } else if (message.channel === 'instrument') {
        for (const pair of (message.data as { pairs: { symbol: string; price_precision: number; qty_precision: number }[] }).pairs) {
          syncs.set(pair.symbol, new KrakenBookSync(pair.symbol, 1000, pair.price_precision, pair.qty_precision))
        }
      }
    }
    const books = new Map([...syncs].filter(([, sync]) => sync.book.bidCount + sync.book.askCount > 0).map(([s, sync]) => [s, sync.book]))
    result = { books, syncs, bookEvents, resyncs }
  }
  return result!
}

/**
 * Kraken without the checksum: the same parse, normalization and book
 * updates written out here, minus the CRC32 (and the top-10 check that
 * decides whether to recompute it). The difference to `krakenPipeline` is
 * the checksum's share.
 */
export function krakenPipelineNoChecksum(session: WireSession, repeat: number): number {
  let events = 0
  for (let r = 0; r < repeat; r++) {
    const books = new Map<string, OrderBook>()
    const frames = session.frames
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!
      const message = JSON.parse(frame.raw) as KrakenFrameShape
      if (message.channel !== 'book') continue
      const entries = message.data as KrakenBookShape[]
      for (let j = 0; j < entries.length; j++) {
        const data = entries[j]!
        let book = books.get(data.symbol)
        if (book === undefined) books.set(data.symbol, (book = new OrderBook()))
        const event = {
          isSnapshot: message.type === 'snapshot',
          bids: toLevels(data.bids),
          asks: toLevels(data.asks),
          timestamp: data.timestamp === undefined ? frame.receivedAt : isoToMicros(data.timestamp),
        }
        book.apply(event)
        if (book.bidCount > 1000 || book.askCount > 1000) book.truncate(1000)
        events++
      }
    }
  }
  return events
}

function toLevels(levels: readonly { price: number; qty: number }[]): BookLevel[] {
  const out: BookLevel[] = new Array(levels.length)
  for (let i = 0; i < levels.length; i++) out[i] = { price: levels[i]!.price, amount: levels[i]!.qty }
  return out
}

/** OKX, first stage only: `parseFrame` of every frame (`JSON.parse` + normalize), no sync, no book. */
export function okxParseOnly(session: WireSession, repeat: number): number {
  let messages = 0
  for (let r = 0; r < repeat; r++) {
    const frames = session.frames
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!
      if (parseOkxFrame(frame.raw, frame.receivedAt).type === 'book') messages++
    }
  }
  return messages
}

/**
 * OKX as its feed reads frames: `scanBookUpdate` for updates of a book that
 * verifies no checksums, else `parseFrame` → `BookSync.onMessage` per instrument (the `seqId` chain;
 * the checksum verified when it is not 0, or when there is no `seqId`, as in
 * the 2022 capture) → `OrderBook.apply` of every book event it emits; status
 * events count as resyncs. Trades and acks are parsed and dropped.
 */
export function okxPipeline(session: WireSession, repeat: number): PipelineResult {
  let result: PipelineResult | undefined
  for (let r = 0; r < repeat; r++) {
    const books = new Map<string, OrderBook>()
    const syncs = new Map<string, OkxBookSync>()
    const out: MarketEvent[] = []
    let bookEvents = 0
    let resyncs = 0
    const frames = session.frames
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!
      // As the feed does: an update scanned unless its book verifies checksums, anything else parsed.
      const scanned = scanOkxBookUpdate(frame.raw, frame.receivedAt)
      const message = scanned !== undefined && syncs.get(scanned.symbol)?.verifiesChecksums === false ? scanned : parseOkxFrame(frame.raw, frame.receivedAt)
      if (message.type !== 'book') continue
      let sync = syncs.get(message.symbol)
      if (sync === undefined) syncs.set(message.symbol, (sync = new OkxBookSync(message.symbol)))
      sync.onMessage(message, out)
      for (let j = 0; j < out.length; j++) {
        const event = out[j]!
        if (event.type === 'book') {
          let book = books.get(event.symbol)
          if (book === undefined) books.set(event.symbol, (book = new OrderBook()))
          book.apply(event)
          bookEvents++
        } else if (event.type === 'status') resyncs++
      }
      out.length = 0
    }
    result = { books, syncs, bookEvents, resyncs }
  }
  return result!
}
