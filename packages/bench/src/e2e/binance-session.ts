/**
 * The Binance spot capture looped into a session of any length, with the
 * continuity a real stream has: each loop's depth events continue every
 * symbol's update-id chain (`U` = previous `u` + 1) and trade ids go on
 * increasing by one, so neither dccd's book sync nor its trade continuity
 * sees a gap, and the books end where a reference book says they must.
 *
 * Loop body: the capture's depth events past each symbol's REST snapshot and
 * its `aggTrade` events (as `@trade` frames: the stream `trades` subscribes
 * to), in capture order. `bookTicker` and `kline` frames are left out: a
 * feed of `trades` + `book` does not subscribe to them, so Binance would not
 * send them.
 *
 * More symbols: `copies` > 1 plays every captured symbol under that many
 * names (`NKNUSDT`, `C1NKNUSDT`, `C2NKNUSDT`, …), each copy its own stream
 * with its own chains, snapshot and book. The frames are shared out, not
 * multiplied: the same `frameCount` spread over more symbols, as a venue
 * with more, quieter symbols would send them.
 */
import type { BinanceAggTradeFrame, BinanceDepthSnapshot, BinanceDepthUpdateFrame } from '@dccd/binance'
import { loadCapture, type CaptureName } from '../fixtures.js'
import { ReferenceBooks } from './reference-books.js'
import { emptyTallies, type E2eSession } from './session.js'

type DepthEvent = BinanceDepthUpdateFrame
type AggTrade = BinanceAggTradeFrame

/** A Binance session (spot or USDⓈ-M) plus what its fake REST API serves. */
export interface BinanceE2eSession extends E2eSession {
  /** Depth snapshot body per symbol (`GET /api/v3/depth`, `/fapi/v1/depth`): the captured one, whose `lastUpdateId` fits the first depth frame. */
  readonly snapshots: ReadonlyMap<string, string>
  /**
   * Per path a client must connect to, the combined streams it must ask for there. Spot: `/stream`,
   * `<symbol>@trade` and `<symbol>@depth@100ms` per symbol. A path that names one of the session's
   * `parts` is flooded with that part.
   */
  readonly connections: ReadonlyMap<string, readonly string[]>
}

/** The name copy `copy` of a captured symbol goes by: copy 0 keeps the captured name. */
export const copyName = (symbol: string, copy: number): string => (copy === 0 ? symbol : `C${copy}${symbol}`)

/** `frameCount` data frames: the loop body played until they are made, each event once per copy of its symbol. */
export function binanceLoopSession(frameCount: number, copies = 1): BinanceE2eSession {
  // The depth events past each snapshot.
  const { snapshots, body } = readBinanceCapture('binance-spot-2021-10-12', (event, snapshot) => event.u > snapshot.lastUpdateId)
  const captured = [...snapshots.keys()]
  const symbols = Array.from({ length: copies }, (_, copy) => captured.map((s) => copyName(s, copy))).flat()
  const span = idSpans(body)
  const tradeBase = new Map<string, number>()
  for (const event of body) if (event.e === 'aggTrade' && !tradeBase.has(event.s)) tradeBase.set(event.s, event.f)
  const books = new ReferenceBooks(symbols)
  const perSymbol = emptyTallies(symbols)
  // Table rows the session makes (a trade is one, a book message one per level): what a recorder must seal.
  let rows = 0
  for (const copy of copyNumbers(copies)) {
    for (const [symbol, snapshot] of snapshots) {
      books.apply(copyName(symbol, copy), true, snapshot.bids, snapshot.asks)
      perSymbol[copyName(symbol, copy)]!.bookEvents = 1 // the REST snapshot
      rows += snapshot.bids.length + snapshot.asks.length
    }
  }
  const frames: string[] = []
  const mix = { book: 0, trade: 0, other: 0 }
  for (let i = 0; frames.length < frameCount; i++) {
    const loop = Math.floor(i / body.length)
    const event = body[i % body.length]!
    for (let copy = 0; copy < copies && frames.length < frameCount; copy++) {
      const symbol = copyName(event.s, copy)
      const tally = perSymbol[symbol]!
      const stream = symbol.toLowerCase()
      if (event.e === 'depthUpdate') {
        const shift = loop * span.get(event.s)!
        frames.push(JSON.stringify({ stream: `${stream}@depth@100ms`, data: { ...event, s: symbol, U: event.U + shift, u: event.u + shift } }))
        books.apply(symbol, false, event.b, event.a)
        tally.bookEvents++
        mix.book++
        rows += event.b.length + event.a.length
      } else {
        const id = tradeBase.get(event.s)! + tally.trades
        const trade = { e: 'trade', E: event.E, s: symbol, t: id, p: event.p, q: event.q, T: event.T, m: event.m, M: event.M }
        frames.push(JSON.stringify({ stream: `${stream}@trade`, data: trade }))
        tally.trades++
        tally.lastTradeId = id
        mix.trade++
        rows++
      }
    }
  }
  const snapshotBodies = new Map<string, string>()
  for (const copy of copyNumbers(copies)) {
    for (const [symbol, snapshot] of snapshots) snapshotBodies.set(copyName(symbol, copy), JSON.stringify(snapshot))
  }
  return {
    frames,
    snapshots: snapshotBodies,
    connections: new Map([['/stream', symbols.flatMap((s) => [`${s.toLowerCase()}@trade`, `${s.toLowerCase()}@depth@100ms`])]]),
    expected: {
      exchange: 'binance',
      symbols,
      frames: frames.length,
      mix,
      loops: Math.ceil(frameCount / (body.length * copies)),
      rows,
      perSymbol,
      books: books.dump(),
    },
  }
}

/**
 * A Binance capture's REST depth snapshots by symbol, and its `depthUpdate` events that `keep`
 * accepts (judged against their symbol's snapshot) and `aggTrade` events, in capture order.
 */
export function readBinanceCapture<D extends BinanceDepthUpdateFrame = BinanceDepthUpdateFrame>(
  name: CaptureName,
  keep: (event: D, snapshot: BinanceDepthSnapshot) => boolean,
): { snapshots: Map<string, BinanceDepthSnapshot>; body: (D | BinanceAggTradeFrame)[] } {
  const lines = loadCapture(name)
  const snapshots = new Map<string, BinanceDepthSnapshot>()
  for (const line of lines) {
    if (line.dir === 'rest') snapshots.set(new URL(line.url!).searchParams.get('symbol')!, line.data as BinanceDepthSnapshot)
  }
  const body: (D | BinanceAggTradeFrame)[] = []
  for (const line of lines) {
    const event = (line.data as { data?: D | BinanceAggTradeFrame } | null)?.data
    if (line.dir !== 'in' || event === undefined) continue
    if (event.e === 'aggTrade' || (event.e === 'depthUpdate' && keep(event, snapshots.get(event.s)!))) body.push(event)
  }
  return { snapshots, body }
}

const copyNumbers = (copies: number): number[] => Array.from({ length: copies }, (_, copy) => copy)

/**
 * Per symbol, the update ids one loop covers: the next loop's ids are the
 * body's plus this much, so its first `U` is the previous loop's last `u` + 1.
 *
 * @throws Error when the capture's chain has a hole (the loop would carry it)
 */
function idSpans(body: readonly (DepthEvent | AggTrade)[]): Map<string, number> {
  const first = new Map<string, number>()
  const last = new Map<string, number>()
  for (const event of body) {
    if (event.e !== 'depthUpdate') continue
    const previous = last.get(event.s)
    if (previous !== undefined && event.U !== previous + 1) throw new Error(`${event.s}: capture depth ids jump from ${previous} to ${event.U}`)
    if (!first.has(event.s)) first.set(event.s, event.U)
    last.set(event.s, event.u)
  }
  return new Map([...first].map(([symbol, U]) => [symbol, last.get(symbol)! - U + 1]))
}
