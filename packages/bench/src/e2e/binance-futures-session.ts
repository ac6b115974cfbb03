/**
 * The Binance USDⓈ-M capture (2021-07-22: SUSHIUSDT, AKROUSDT, KEEPUSDT,
 * CTKUSDT) looped into a session of any length, with the continuity the
 * futures stream has:
 *
 * - Depth: update ids are shared by all symbols, so a symbol's events chain
 *   by `pu` (the previous event's `u`), not by `U`. Loop k moves a symbol's
 *   `U`, `u` and `pu` up by k × (its body's last `u` − its first `pu`): the
 *   first event of each loop names the last `u` of the loop before as its
 *   `pu`, and ids keep growing.
 * - Trades: aggregate ids `a` continue by one per aggregate per symbol, the
 *   fill ids `f`..`l` by the fills one loop covers.
 *
 * Loop body: per symbol, the depth events from the one its REST snapshot
 * falls in (`u >= lastUpdateId`) on, and every `aggTrade`, in capture order;
 * `bookTicker` and `kline` frames are left out (a `trades` + `book` feed does
 * not subscribe to them). Three symbols' first kept event ends exactly at
 * `lastUpdateId`: in the first loop it only starts the `pu` chain (it is in
 * the snapshot already, and dccd does not emit it), in later loops it is an
 * update like the others.
 *
 * USDⓈ-M routes streams by path: a client opens `/public/stream` for
 * `@depth@100ms` and `/market/stream` for `@aggTrade`, and each connection
 * gets its share of the frames, in order (`parts`).
 */
import type { BinanceAggTradeFrame, BinanceDepthSnapshot, BinanceDepthUpdateFrame } from '@dccd/binance'
import { readBinanceCapture, type BinanceE2eSession } from './binance-session.js'
import { ReferenceBooks } from './reference-books.js'
import { emptyTallies } from './session.js'

/** USDⓈ-M depth events always carry `pu`. */
type DepthEvent = BinanceDepthUpdateFrame & { readonly pu: number }
type AggTrade = BinanceAggTradeFrame

/** The paths USDⓈ-M serves each stream on, and the part of the session each gets. */
export const FUTURES_PATHS = { depth: '/public/stream', trades: '/market/stream' } as const

/** `frameCount` data frames: the loop body played until they are made. */
export function binanceFuturesLoopSession(frameCount: number): BinanceE2eSession {
  // From the depth event that spans each snapshot (futures: `U` <= lastUpdateId <= `u`) on.
  const { snapshots, body } = readBinanceCapture<DepthEvent>('binance-usdm-2021-07-22', (event, snapshot) => event.u >= snapshot.lastUpdateId)
  const symbols = [...snapshots.keys()]
  const { idSpan, fillSpan, tradeBase } = spans(body, snapshots)
  const books = new ReferenceBooks(symbols)
  const perSymbol = emptyTallies(symbols)
  for (const [symbol, snapshot] of snapshots) {
    books.apply(symbol, true, snapshot.bids, snapshot.asks)
    perSymbol[symbol]!.bookEvents = 1 // the REST snapshot
  }
  const depthFrames: string[] = []
  const tradeFrames: string[] = []
  const frames: string[] = []
  const mix = { book: 0, trade: 0, other: 0 }
  for (let i = 0; frames.length < frameCount; i++) {
    const loop = Math.floor(i / body.length)
    const event = body[i % body.length]!
    const tally = perSymbol[event.s]!
    const stream = event.s.toLowerCase()
    let frame: string
    if (event.e === 'depthUpdate') {
      const shift = loop * idSpan.get(event.s)!
      frame = JSON.stringify({ stream: `${stream}@depth@100ms`, data: { ...event, U: event.U + shift, u: event.u + shift, pu: event.pu + shift } })
      depthFrames.push(frame)
      mix.book++
      // In the first loop, an event ending at the snapshot's id is in the snapshot already.
      if (loop > 0 || event.u > snapshots.get(event.s)!.lastUpdateId) {
        books.apply(event.s, false, event.b, event.a)
        tally.bookEvents++
      }
    } else {
      const id = tradeBase.get(event.s)! + tally.trades
      const shift = loop * fillSpan.get(event.s)!
      frame = JSON.stringify({ stream: `${stream}@aggTrade`, data: { ...event, a: id, f: event.f + shift, l: event.l + shift } })
      tradeFrames.push(frame)
      tally.trades++
      tally.lastTradeId = id
      mix.trade++
    }
    frames.push(frame)
  }
  const streams = (suffix: string): string[] => symbols.map((s) => `${s.toLowerCase()}${suffix}`)
  return {
    frames,
    parts: { [FUTURES_PATHS.depth]: depthFrames, [FUTURES_PATHS.trades]: tradeFrames },
    snapshots: new Map([...snapshots].map(([symbol, snapshot]) => [symbol, JSON.stringify(snapshot)])),
    connections: new Map([
      [FUTURES_PATHS.depth, streams('@depth@100ms')],
      [FUTURES_PATHS.trades, streams('@aggTrade')],
    ]),
    expected: {
      exchange: 'binance-futures',
      symbols,
      frames: frames.length,
      mix,
      loops: Math.ceil(frameCount / body.length),
      perSymbol,
      books: books.dump(),
    },
  }
}

/**
 * Per symbol, what one loop moves ids by: update ids (last `u` − first `pu`), fill ids (last `l` −
 * first `f` + 1); and its first aggregate id.
 *
 * @throws Error when the capture's `pu` chain or aggregate ids have a hole (the loop would carry it),
 *   or a symbol's first kept event does not span its snapshot
 */
function spans(body: readonly (DepthEvent | AggTrade)[], snapshots: ReadonlyMap<string, BinanceDepthSnapshot>) {
  const firstPu = new Map<string, number>()
  const lastU = new Map<string, number>()
  const firstFill = new Map<string, number>()
  const lastFill = new Map<string, number>()
  const tradeBase = new Map<string, number>()
  const lastA = new Map<string, number>()
  for (const event of body) {
    if (event.e === 'depthUpdate') {
      const previous = lastU.get(event.s)
      if (previous === undefined && event.U > snapshots.get(event.s)!.lastUpdateId) throw new Error(`${event.s}: first depth event ${event.U}..${event.u} after the snapshot`)
      if (previous !== undefined && event.pu !== previous) throw new Error(`${event.s}: capture pu ${event.pu} after u ${previous}`)
      if (previous === undefined) firstPu.set(event.s, event.pu)
      lastU.set(event.s, event.u)
    } else {
      const previous = lastA.get(event.s)
      if (previous !== undefined && event.a !== previous + 1) throw new Error(`${event.s}: capture aggregate ids jump from ${previous} to ${event.a}`)
      if (previous === undefined) {
        tradeBase.set(event.s, event.a)
        firstFill.set(event.s, event.f)
      }
      lastA.set(event.s, event.a)
      lastFill.set(event.s, event.l)
    }
  }
  return {
    idSpan: new Map([...firstPu].map(([symbol, pu]) => [symbol, lastU.get(symbol)! - pu])),
    fillSpan: new Map([...firstFill].map(([symbol, f]) => [symbol, lastFill.get(symbol)! - f + 1])),
    tradeBase,
  }
}
