/**
 * Pure judgements over the events a continuity clause read: each returns a
 * description of the first problem, or undefined.
 */
import type { MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'

const describe = (event: MarketEvent): string => JSON.stringify(event).slice(0, 300)
const isStatus = (event: MarketEvent, status: StatusEvent['status']): event is StatusEvent =>
  event.type === 'status' && event.status === status
export const isBookOf = (event: MarketEvent, symbol: string): boolean => event.type === 'book' && event.symbol === symbol
export const isResyncOf = (event: MarketEvent, symbol: string): boolean => isStatus(event, 'resync') && event.symbol === symbol
const isTradeOf = (event: MarketEvent, symbol: string): event is TradeEvent => event.type === 'trade' && event.symbol === symbol

/**
 * After `symbol`'s resync at `resyncAt` (the drop happened at `mark`): its next book event is a
 * snapshot, and until a disconnect no other symbol is resynced, nor re-snapshotted once it had a book.
 */
export function resyncScopeProblem(events: readonly MarketEvent[], symbol: string, mark: number, resyncAt: number): string | undefined {
  const next = events.slice(resyncAt + 1).find((event) => isBookOf(event, symbol))
  if (next !== undefined && next.type === 'book' && !next.isSnapshot) {
    return `A book delta of ${symbol} came after its resync, before any snapshot: ${describe(next)}`
  }
  const disconnected = events.findIndex((event, i) => i >= mark && isStatus(event, 'disconnected'))
  const end = disconnected < 0 ? events.length : disconnected
  const booked = new Set(events.slice(0, mark).flatMap((event) => (event.type === 'book' ? [event.symbol] : [])))
  for (let i = mark; i < end; i++) {
    const event = events[i]!
    if (isStatus(event, 'resync') && event.symbol !== symbol) {
      return `A resync of ${event.symbol ?? 'every book'} followed the one dropped update of ${symbol}; the other books must stay untouched: ${describe(event)}`
    }
    if (event.type === 'book' && event.isSnapshot && event.symbol !== symbol && booked.has(event.symbol)) {
      return `${event.symbol}'s book was snapshotted again after the one dropped update of ${symbol}; the other books must stay untouched`
    }
  }
  return undefined
}

/**
 * `dropped` ids of `symbol` went missing before trade `nextId`: each must be emitted as a trade
 * or covered by exactly one `gap` (channel `trades`) inside the dropped range, all of it before
 * trade `nextId`, and no id emitted twice. With nothing recovered, one gap spans the whole range.
 */
export function tradeHoleProblem(
  events: readonly MarketEvent[],
  symbol: string,
  dropped: readonly string[],
  nextId: string,
): string | undefined {
  const range = `${dropped[0]}..${dropped.at(-1)}`
  const nextAt = events.findIndex((event) => isTradeOf(event, symbol) && event.id === nextId)
  if (nextAt < 0) return `${symbol} trade ${nextId}, the one after the dropped ids ${range}, never reached the consumer`
  const seen = new Set<string>()
  for (const event of events) {
    if (!isTradeOf(event, symbol)) continue
    if (seen.has(event.id)) return `${symbol} trade ${event.id} was emitted twice`
    seen.add(event.id)
  }
  const inRange = (id: bigint): boolean => id >= BigInt(dropped[0]!) && id <= BigInt(dropped.at(-1)!)
  const gaps = events.flatMap((event, index) => (isStatus(event, 'gap') && event.symbol === symbol ? [{ event, index }] : []))
  const covering = new Map<string, number>()
  let inside = 0
  for (const { event, index } of gaps) {
    if (event.fromId === undefined || event.toId === undefined) return `A gap of ${symbol} names no fromId..toId: ${describe(event)}`
    const [from, to] = [BigInt(event.fromId), BigInt(event.toId)]
    if (to < BigInt(dropped[0]!) || from > BigInt(dropped.at(-1)!)) continue
    if (!inRange(from) || !inRange(to)) return `The gap ${event.fromId}..${event.toId} of ${symbol} reaches beyond the dropped ids ${range}`
    if (event.channel !== 'trades') return `The gap ${event.fromId}..${event.toId} of ${symbol} has channel ${JSON.stringify(event.channel)}, not 'trades'`
    if (index > nextAt) return `The gap ${event.fromId}..${event.toId} of ${symbol} came after trade ${nextId}, the one after the hole`
    inside++
    for (let id = from; id <= to; id++) {
      const key = id.toString()
      if (seen.has(key)) return `${symbol} trade ${key} was both emitted and reported in the gap ${event.fromId}..${event.toId}`
      covering.set(key, (covering.get(key) ?? 0) + 1)
    }
  }
  for (const id of dropped) {
    const count = covering.get(id) ?? 0
    if (count > 1) return `${symbol} trade ${id} is covered by ${count} gaps`
    if (count === 1) continue
    const at = events.findIndex((event) => isTradeOf(event, symbol) && event.id === id)
    if (at < 0) return `${symbol} trade ${id} (dropped: ${range}) was neither emitted nor reported in a gap`
    if (at > nextAt) return `${symbol} trade ${id} was emitted after trade ${nextId}, out of order`
  }
  if (dropped.every((id) => covering.has(id)) && inside !== 1) {
    return `Nothing of ${symbol} ${range} was recovered, yet it is reported as ${inside} gaps, not one gap ${range}`
  }
  return undefined
}

/**
 * Across a rotation: no `gap`, `resync` or `disconnected` marked the handover, and every symbol's
 * trades are increasing, each once; with `complete` (the whole replay was read), they are
 * exactly the session's.
 */
export function rotationProblem(
  events: readonly MarketEvent[],
  sessionIds: ReadonlyMap<string, readonly string[]>,
  complete: boolean,
): string | undefined {
  for (const status of ['disconnected', 'resync', 'gap'] as const) {
    const marker = events.find((event) => isStatus(event, status))
    if (marker !== undefined) return `A rotation must be seamless, yet the feed emitted ${status}: ${describe(marker)}`
  }
  for (const [symbol, expected] of sessionIds) {
    const ids = events.filter((event) => isTradeOf(event, symbol)).map((event) => (event as TradeEvent).id)
    for (let i = 1; i < ids.length; i++) {
      if (BigInt(ids[i]!) <= BigInt(ids[i - 1]!)) return `${symbol} trade ${ids[i]} followed trade ${ids[i - 1]}: a duplicate or out of order across the rotation`
    }
    const missing = complete ? expected.filter((id) => !ids.includes(id)) : []
    if (missing.length > 0) return `${symbol} trades ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} of the session never reached the consumer across the rotation`
  }
  return undefined
}
