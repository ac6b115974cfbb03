/**
 * The trade faults' invariants (see ./chaos-trade-faults.ts), as lists of violations like
 * ./chaos-invariants.ts: what the feed made of the trades the market lost on a live connection, of
 * a drop window (no reconnect), and of a REST recovery held while the socket died or unreadable
 * frames hit (the holes found meanwhile queued behind it, each fetched in turn).
 */
import type { MarketEvent, StatusEvent } from '@dccd/core'
import type { ChaosMarket } from './chaos-market.js'
import type { LostRun } from './chaos-records.js'

/** Enough to see a pattern; the rest would only bury it. */
const MAX_REPORTED = 12
/** How far before the trade preceding a hole the feed starts paging REST Trades, µs (src/trades.ts). */
const SINCE_MARGIN_MICROS = 1000

/** The `since` of the feed's first REST Trades call for `symbol`'s hole starting at `fromId`: 1 ms before the trade preceding it, ns. */
export function holeSince(market: ChaosMarket, symbol: string, fromId: number): string | undefined {
  const before = market.tapes.get(symbol)?.get(fromId - 1)
  return before === undefined ? undefined : `${before.micros - SINCE_MARGIN_MICROS}000`
}

/** Runs the feed demonstrably saw as holes: it read, on the same connection, past the readable trade that followed them. */
export function runsSeen(events: readonly MarketEvent[], market: ChaosMarket): LostRun[] {
  const seen = market.framesSeen(events)
  return market.lostRuns.filter((run) => run.closing !== undefined && (seen.get(run.connection) ?? 0) > run.closing.seq)
}

/**
 * Every run of trades lost on a live connection that the feed saw is a hole it fetched from REST
 * Trades (a call from 1 s before the trade preceding it). With REST serving, each of its trades was
 * emitted (once: invariant B) and a REST page served it; with REST failing, it is exactly one gap.
 * Runs the feed never read past belong to a reconnect's hole, which invariant B covers.
 */
export function lostTradeViolations(events: readonly MarketEvent[], market: ChaosMarket, restTrades: 'ok' | 'fail'): string[] {
  const out: string[] = []
  const emitted = new Set<string>()
  const gaps: StatusEvent[] = []
  for (const event of events) {
    if (event.type === 'trade') emitted.add(`${event.symbol} ${event.id}`)
    else if (event.type === 'status' && event.status === 'gap') gaps.push(event)
  }
  const served = (symbol: string, id: number): boolean =>
    market.restCalls.some((call) => call.symbol === symbol && call.firstId !== undefined && call.firstId <= id && id <= call.lastId!)
  for (const run of runsSeen(events, market)) {
    const what = `${run.symbol} ${run.fromId}..${run.toId} (${run.how.join('+')} on connection ${run.connection}, then ${run.closing!.id})`
    const since = holeSince(market, run.symbol, run.fromId)
    if (!market.restCalls.some((call) => call.symbol === run.symbol && call.since === since)) {
      out.push(`${what}: the feed read the trade after it but never asked REST Trades for the hole (since ${since})`)
    }
    const ids = Array.from({ length: run.toId - run.fromId + 1 }, (_, k) => run.fromId + k)
    if (restTrades === 'ok') {
      const missing = ids.filter((id) => !emitted.has(`${run.symbol} ${id}`))
      const unserved = ids.filter((id) => emitted.has(`${run.symbol} ${id}`) && !served(run.symbol, id))
      if (missing.length > 0) out.push(`${what}: ${ranges(missing)} never emitted`)
      if (unserved.length > 0) out.push(`${what}: ${ranges(unserved)} emitted, but no REST Trades page served them`)
    } else if (!gaps.some((gap) => gap.symbol === run.symbol && Number(gap.fromId) === run.fromId && Number(gap.toId) === run.toId)) {
      out.push(`${what}: REST failed, yet no gap is exactly ${run.fromId}..${run.toId}`)
    }
  }
  return out.slice(0, MAX_REPORTED)
}

/**
 * A drop window costs no reconnect: the feed read on, on the connection it struck, past the
 * readable trade after its last skipped run (the market also reports the feed closing it meanwhile).
 */
export function dropWindowViolations(events: readonly MarketEvent[], market: ChaosMarket): string[] {
  const seen = market.framesSeen(events)
  return market.faults
    .filter((fault) => fault.kind === 'drop-trades')
    .flatMap((fault) => {
      const last = Math.max(0, ...(fault.runs ?? []).map((run) => run.closing?.seq ?? 0))
      const read = seen.get(fault.connection) ?? 0
      if (read > last) return []
      const where = `the feed read connection ${fault.connection} up to frame ${read}, not past frame ${last} (the trade after its last skipped run)`
      return [`${where}: did the drops cost a reconnect? (${fault.detail})`]
    })
}

/**
 * A held recovery: the holes found while it was held were each fetched after it, in turn. After a
 * terminate, the second hole starts right after the last trade the feed read before the disconnect
 * and ends before the new connection's trade snapshot; after unreadable frames, each of the
 * recovering symbol's runs is a hole of its own. (A second call while the first was held is reported by the market.)
 */
export function recoveryViolations(market: ChaosMarket): string[] {
  const out: string[] = []
  for (const fault of market.faults) {
    if (fault.kind !== 'recovery-terminate' && fault.kind !== 'recovery-unreadable') continue
    const symbol = fault.symbol!
    const held = market.restCalls.findIndex((call) => call.held === true && call.symbol === symbol)
    if (held < 0) {
      out.push(`${fault.kind}: no REST Trades call of ${symbol} was held (${fault.detail})`)
      continue
    }
    const later = new Set(market.restCalls.slice(held + 1).filter((call) => call.symbol === symbol).map((call) => call.since))
    const queued: (string | undefined)[][] = []
    if (fault.kind === 'recovery-unreadable') {
      // Another symbol's unreadable run is a hole of its own (lostTradeViolations); the recovering symbol's queue behind the held call.
      const unreadable = (fault.runs ?? []).filter((run) => run.how.includes('unreadable') && run.closing !== undefined)
      if (unreadable.length < 2) out.push(`${fault.kind} on ${symbol}: ${unreadable.length} unreadable runs closed by a readable trade, expected 2 (${fault.detail})`)
      for (const run of unreadable) if (run.symbol === symbol) queued.push([holeSince(market, symbol, run.fromId)])
    } else {
      const skipped = fault.runs?.find((run) => run.symbol === symbol)?.closing?.id
      const snapshot = market.tradeSnapshots.find((s) => s.symbol === symbol && s.connection > fault.connection)
      if (skipped === undefined || snapshot === undefined) {
        out.push(`${fault.kind} on ${symbol}: no skipped run closed before the disconnect, or no trade snapshot after it (${fault.detail})`)
        continue
      }
      // The last trade read before the disconnect is one of skipped..snapshot.firstId - 2 (then a hole remains).
      queued.push(Array.from({ length: snapshot.firstId - 1 - skipped }, (_, k) => holeSince(market, symbol, skipped + k + 1)))
    }
    for (const candidates of queued) {
      if (!candidates.some((since) => since !== undefined && later.has(since))) {
        const since = candidates.length === 1 ? candidates[0] : `one of ${candidates.length} candidates`
        out.push(`${fault.kind} on ${symbol}: the hole queued behind the held call (since ${since}) was never fetched after it; later calls: ${[...later].join(', ') || 'none'}`)
      }
    }
  }
  return out
}

/** Ids as ranges: `5..7, 9`. */
function ranges(ids: readonly number[]): string {
  const parts: string[] = []
  for (let i = 0; i < ids.length; i++) {
    let j = i
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++
    parts.push(i === j ? `${ids[i]}` : `${ids[i]}..${ids[j]}`)
    i = j
  }
  return parts.join(', ')
}
