/**
 * What a session holds under the declared continuity rules, and the holes the
 * continuity clauses cut into it: which frame to drop, and what the adapter
 * must then notice. Pure: no sockets, no timers.
 */
import type { SessionFrame } from '../session.js'
import { dropFrames } from '../helpers/gap-session.js'
import type { ContinuityRules } from './continuity-options.js'

/** A symbol's book frames: indexes in the session. */
export interface SymbolBookFrames {
  readonly deltas: number[]
  readonly snapshots: number[]
}

/** Each symbol's book deltas and snapshots as `bookUpdate` / `bookSnapshot` name them. */
export function bookFramesBySymbol(session: readonly SessionFrame[], rules: ContinuityRules): Map<string, SymbolBookFrames> {
  const out = new Map<string, SymbolBookFrames>()
  const of = (symbol: string): SymbolBookFrames => {
    let frames = out.get(symbol)
    if (frames === undefined) out.set(symbol, (frames = { deltas: [], snapshots: [] }))
    return frames
  }
  session.forEach((frame, index) => {
    if (frame.dir !== 'in') return
    const delta = rules.bookUpdate?.(frame)
    if (delta !== undefined) of(delta).deltas.push(index)
    const snapshot = rules.bookSnapshot?.(frame)
    if (snapshot !== undefined) of(snapshot).snapshots.push(index)
  })
  return out
}

/** The book update the dropped-frame clause removes. */
export interface BookDrop {
  readonly symbol: string
  /** Index of the dropped frame in the session; also where the edited session resumes. */
  readonly index: number
  /** Symbols with a book frame before the drop: their books must be up before it happens. */
  readonly ready: readonly string[]
}

/**
 * The middle book update of `symbol` that has another update of it before and after (so the
 * hole is inside the stream, and a later update reveals it), after its first snapshot frame
 * when the venue sends snapshots on the socket; or why there is none.
 */
export function planBookDrop(session: readonly SessionFrame[], rules: ContinuityRules, symbol: string): BookDrop | string {
  const books = bookFramesBySymbol(session, rules)
  const own = books.get(symbol)
  const firstSnapshot = own?.snapshots[0] ?? -1
  const candidates = (own?.deltas ?? []).slice(1, -1).filter((index) => index > firstSnapshot)
  const index = candidates[Math.floor(candidates.length / 2)]
  if (index === undefined) {
    return `the session has no book update of ${symbol} with another one before and after it (continuity.bookUpdate names ${own?.deltas.length ?? 0})`
  }
  const ready = [...books].filter(([, frames]) => Math.min(frames.deltas[0] ?? Infinity, frames.snapshots[0] ?? Infinity) < index)
  return { symbol, index, ready: ready.map(([name]) => name) }
}

/** The trade hole the dropped-trade clause makes. */
export interface TradeDrop {
  /** The session with the hole. */
  readonly session: SessionFrame[]
  readonly symbol: string
  /** The (fill) ids missing from it, in order: each must be recovered or named by the one gap. */
  readonly dropped: readonly string[]
  /** The id of the trade right after the hole (in the session). */
  readonly nextId: string
  /** True when the hole was made by inserting a later id (`withTradeId`) rather than dropping a captured frame. */
  readonly synthesized: boolean
}

interface TradeFrame {
  readonly index: number
  readonly ids: readonly string[]
  /** The fill ids the frame's trades stand for (its `ids` unless the venue aggregates fills). */
  readonly fills: readonly string[]
}

const plusOne = (id: string): string => (BigInt(id) + 1n).toString()
const isId = (id: string): boolean => /^\d+$/.test(id)

/** Each symbol's trade frames in session order (frames whose ids are not all decimal are left out). */
function tradeFramesBySymbol(session: readonly SessionFrame[], rules: ContinuityRules): Map<string, TradeFrame[]> {
  const out = new Map<string, TradeFrame[]>()
  session.forEach((frame, index) => {
    const trades = frame.dir === 'in' ? rules.trades?.(frame) : undefined
    if (trades === undefined || trades.ids.length === 0 || !trades.ids.every(isId)) return
    const fills = trades.fills ?? trades.ids
    if (fills.length === 0 || !fills.every(isId)) return
    const list = out.get(trades.symbol) ?? []
    list.push({ index, ids: trades.ids, fills })
    out.set(trades.symbol, list)
  })
  return out
}

/** True when `ids` continue `previous` one by one (`previous` undefined: only among themselves). */
function continues(previous: string | undefined, ids: readonly string[]): boolean {
  let last = previous
  for (const id of ids) {
    if (last !== undefined && id !== plusOne(last)) return false
    last = id
  }
  return true
}

/**
 * A trade frame to drop: one whose ids follow the previous trade of its symbol and are followed
 * by the next id in the session, the middle such frame. Without one, and with `withTradeId`,
 * a copy of a symbol's last single-trade frame carrying the id after next goes right behind it.
 */
export function planTradeDrop(session: readonly SessionFrame[], rules: ContinuityRules): TradeDrop | string {
  const bySymbol = tradeFramesBySymbol(session, rules)
  const candidates: Array<{ symbol: string; frame: TradeFrame; nextId: string }> = []
  for (const [symbol, frames] of bySymbol) {
    for (let k = 1; k + 1 < frames.length; k++) {
      const [previous, frame, next] = [frames[k - 1]!, frames[k]!, frames[k + 1]!]
      if (continues(previous.fills.at(-1), frame.fills) && next.fills[0] === plusOne(frame.fills.at(-1)!)) {
        candidates.push({ symbol, frame, nextId: next.ids[0] })
      }
    }
  }
  candidates.sort((a, b) => a.frame.index - b.frame.index)
  const pick = candidates[Math.floor(candidates.length / 2)]
  if (pick !== undefined) {
    const { session: edited } = dropFrames(session, (_frame, index) => index === pick.frame.index)
    return { session: edited, symbol: pick.symbol, dropped: pick.frame.fills, nextId: pick.nextId, synthesized: false }
  }
  const withTradeId = rules.withTradeId
  const last = [...bySymbol].map(([symbol, frames]) => ({ symbol, frame: frames.at(-1)! })).find(({ frame }) => frame.ids.length === 1)
  if (withTradeId === undefined || last === undefined) {
    return withTradeId === undefined
      ? 'the session has no trade frame between two trades of its symbol with consecutive ids (declare continuity.withTradeId to let the suite make one)'
      : 'the session has no trade frame carrying a single trade for continuity.withTradeId to copy'
  }
  const missing = plusOne(last.frame.ids[0]!)
  const nextId = plusOne(missing)
  const edited = [...session]
  edited.splice(last.frame.index + 1, 0, withTradeId(session[last.frame.index]!, nextId))
  return { session: edited, symbol: last.symbol, dropped: [missing], nextId, synthesized: true }
}

/** Each symbol's trade ids in session order. */
export function sessionTradeIds(session: readonly SessionFrame[], rules: ContinuityRules): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [symbol, frames] of tradeFramesBySymbol(session, rules)) out.set(symbol, frames.flatMap((frame) => [...frame.ids]))
  return out
}

/** Symbols whose trade (fill) ids in the session follow each other one by one: no gap may be reported for them. */
export function consecutiveTradeSymbols(session: readonly SessionFrame[], rules: ContinuityRules): string[] {
  return [...tradeFramesBySymbol(session, rules)].filter(([, frames]) => continues(undefined, frames.flatMap((frame) => [...frame.fills]))).map(([symbol]) => symbol)
}

/** Capture time from the first to the last `in` frame, ms. */
export function sessionSpanMs(session: readonly SessionFrame[]): number {
  let first = Infinity
  let last = -Infinity
  for (const frame of session) {
    if (frame.dir !== 'in') continue
    first = Math.min(first, frame.t)
    last = Math.max(last, frame.t)
  }
  return last > first ? last - first : 0
}
