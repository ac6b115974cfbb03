/**
 * The trade continuity clause, driven by `options.continuity.trades`: one
 * trade frame goes missing mid-session, and the adapter must recover its ids
 * or report exactly them as one gap, before the next trade.
 */
import { describeEvents } from '../helpers/event-collector.js'
import type { ClauseSetup, ConformanceClause } from './clause.js'
import { tradeHoleProblem } from './continuity-checks.js'
import { planTradeDrop, type TradeDrop } from './continuity-session.js'
import { ConformanceFailure } from './event-reader.js'
import { withCase } from './harness.js'

export function droppedTradeFrameClause(setup: ClauseSetup): ConformanceClause {
  const { exchange, options, session } = setup
  const rules = options.continuity
  const plan = (): TradeDrop | string => planTradeDrop(session(), rules)
  const skip = (): string | undefined => {
    const missing = setup.needs('trades')
    if (missing !== undefined) return missing
    if (rules.trades === undefined) return `${exchange.id} declares no continuity.trades (its trade ids are not consecutive)`
    const drop = plan()
    return typeof drop === 'string' ? drop : undefined
  }
  return {
    title: 'a dropped trade frame is recovered or reported as exactly one gap of its ids',
    skip: skip(),
    run: () => {
      const drop = plan() as TradeDrop
      const { symbol, dropped, nextId } = drop
      return withCase(exchange, options, drop.session, async (context) => {
        const reader = context.read()
        const range = `${dropped[0]}..${dropped.at(-1)}`
        // Recovery may hold the symbol's live trades; the next one is released once the hole is settled.
        await reader.until(
          () => reader.events.some((event) => event.type === 'trade' && event.symbol === symbol && event.id === nextId),
          `${symbol} trade ${nextId}, the one after the dropped ids ${range}`,
        )
        await reader.drain()
        const problem = tradeHoleProblem(reader.events, symbol, dropped, nextId)
        if (problem !== undefined) throw new ConformanceFailure(`${problem}; ${describeEvents(reader.events)}`)
      })
    },
  }
}
