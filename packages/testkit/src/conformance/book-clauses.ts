/**
 * Book continuity clauses, driven by `options.continuity`: a clean replay
 * raises no resync; no delta goes out before its symbol's first snapshot; one
 * dropped update yields a resync of that symbol only, acted on, and a snapshot
 * before its next delta.
 */
import type { MarketEvent } from '@dccd/core'
import { describeEvents } from '../helpers/event-collector.js'
import { dropFrames } from '../helpers/gap-session.js'
import type { ClauseSetup, ConformanceClause } from './clause.js'
import { isBookOf, isResyncOf, resyncScopeProblem } from './continuity-checks.js'
import { bookFramesBySymbol, consecutiveTradeSymbols, planBookDrop } from './continuity-session.js'
import { ConformanceFailure } from './event-reader.js'
import { withCase } from './harness.js'
import { readWholeReplay } from './replay-progress.js'
import { resyncScript } from './resync-script.js'

const describe = (event: MarketEvent): string => JSON.stringify(event).slice(0, 300)

export function cleanReplayClause({ exchange, options, session, needs }: ClauseSetup): ConformanceClause {
  return {
    title: 'a clean replay produces no resync',
    skip: needs('book'),
    run: () =>
      withCase(exchange, options, session(), async (context) => {
        const reader = context.read()
        const everyBook = (): boolean => options.symbols.every((symbol) => reader.events.some((event) => isBookOf(event, symbol)))
        await readWholeReplay(context, reader, everyBook, `a book event of each of ${options.symbols.join(', ')}`)
        const resync = reader.events.find((event) => event.type === 'status' && event.status === 'resync')
        if (resync !== undefined) {
          throw new ConformanceFailure(`A clean replay produced a resync: ${describe(resync)}; ${describeEvents(reader.events)}`)
        }
        // Where the session's own trade ids follow each other, a gap can only be invented.
        const rules = options.continuity
        if (rules.trades === undefined) return
        const clean = new Set(consecutiveTradeSymbols(session(), rules))
        const gap = reader.events.find((event) => event.type === 'status' && event.status === 'gap' && clean.has(event.symbol ?? ''))
        if (gap !== undefined) throw new ConformanceFailure(`A clean replay produced a gap: ${describe(gap)}`)
      }),
  }
}

/** The symbol with the most book updates: its deltas keep coming while its snapshot is withheld. */
function busiestBook(setup: ClauseSetup): string | undefined {
  const books = bookFramesBySymbol(setup.session(), setup.options.continuity)
  let best: string | undefined
  for (const symbol of setup.options.symbols) {
    if ((books.get(symbol)?.deltas.length ?? 0) > (best === undefined ? 0 : books.get(best)!.deltas.length)) best = symbol
  }
  return best
}

/** Why a book continuity clause cannot run, or undefined. */
function bookRulesMissing(setup: ClauseSetup): string | undefined {
  const { exchange } = setup
  const continuity = setup.options.continuity
  const missing = [
    continuity.bookUpdate === undefined ? 'continuity.bookUpdate' : undefined,
    continuity.resync === undefined ? 'continuity.resync' : undefined,
  ].filter((name) => name !== undefined)
  if (missing.length > 0) return `${exchange.id} declares no ${missing.join(' or ')}`
  return undefined
}

export function noDeltaBeforeSnapshotClause(setup: ClauseSetup): ConformanceClause {
  const { exchange, options, session } = setup
  const rules = options.continuity
  const title = "a book delta is never emitted before that symbol's first snapshot"
  const skip = (): string | undefined => {
    const missing = setup.needs('book') ?? bookRulesMissing(setup)
    if (missing !== undefined) return missing
    if (rules.resync!.kind === 'resubscribe' && rules.bookSnapshot === undefined) {
      return `${exchange.id} resyncs by resubscribing but declares no continuity.bookSnapshot (its snapshot frames)`
    }
    const target = busiestBook(setup)
    if (target === undefined) return 'the session has no book update that continuity.bookUpdate names'
    if (rules.resync!.kind === 'resubscribe' && bookFramesBySymbol(session(), rules).get(target)!.snapshots.length === 0) {
      return `the session has no snapshot frame of ${target} that continuity.bookSnapshot names`
    }
    return undefined
  }
  return {
    title,
    skip: skip(),
    run: () => {
      const target = busiestBook(setup)!
      const resync = rules.resync!
      // The snapshot never comes: its frames are gone, or every REST request for it gets a 503.
      const withheld =
        resync.kind === 'resubscribe' ? dropFrames(session(), (frame) => rules.bookSnapshot!(frame) === target).session : session()
      return withCase(exchange, options, withheld, async (context) => {
        let refused = 0
        if (resync.kind === 'rest-snapshot') {
          context.fx.route('GET', /^/, (request) => {
            if (resync.snapshotSymbol(request) !== target) return undefined
            refused++
            return { status: 503, body: { error: 'snapshot withheld by the conformance suite' } }
          })
        }
        const others = [...bookFramesBySymbol(withheld, rules).keys()].filter((symbol) => symbol !== target && options.symbols.includes(symbol))
        const reader = context.read()
        const othersBooked = (): boolean => others.every((symbol) => reader.events.some((event) => isBookOf(event, symbol)))
        // The adapter must have been waiting for the snapshot, not merely never have asked for it.
        const waiting = resync.kind === 'resubscribe' ? '' : ` and a snapshot request for ${target} (continuity.resync.snapshotSymbol names none)`
        await readWholeReplay(context, reader, () => othersBooked() && (resync.kind === 'resubscribe' || refused > 0), `the books of ${others.join(', ')}${waiting}`)
        const leaked = reader.events.find((event) => isBookOf(event, target))
        if (leaked === undefined) return
        if (leaked.type === 'book' && leaked.isSnapshot) {
          throw new ConformanceFailure(`A book snapshot of ${target} reached the consumer although the exchange never sent one: ${describe(leaked)}`)
        }
        throw new ConformanceFailure(`A book delta of ${target} reached the consumer before any snapshot of it: ${describe(leaked)}`)
      })
    },
  }
}

export function droppedBookFrameClause(setup: ClauseSetup): ConformanceClause {
  const { exchange, options, session } = setup
  const rules = options.continuity
  const symbol = options.symbols[0]!
  const plan = (): ReturnType<typeof planBookDrop> => planBookDrop(session(), rules, symbol)
  const skip = (): string | undefined => {
    const missing = setup.needs('book') ?? bookRulesMissing(setup)
    if (missing !== undefined) return missing
    const drop = plan()
    return typeof drop === 'string' ? drop : undefined
  }
  return {
    title: "one dropped book frame yields a resync for that symbol only, then a snapshot before its next delta, and the other symbols' books untouched",
    skip: skip(),
    run: () => {
      const drop = plan() as Exclude<ReturnType<typeof planBookDrop>, string>
      const original = session()
      const edited = dropFrames(original, (_frame, index) => index === drop.index)
      return withCase(exchange, options, edited.session, async (context) => {
        const { replay } = context
        const ready = drop.ready.filter((name) => options.symbols.includes(name))
        const script = resyncScript(context, rules.resync!, symbol, original, edited.originalIndex)
        const resume = replay.pauseAt(drop.index)
        const reader = context.read()
        const snapshotted = (name: string): boolean => reader.events.some((event) => event.type === 'book' && event.isSnapshot && event.symbol === name)
        await reader.until(
          () => snapshotted(symbol) && ready.every(snapshotted),
          `a snapshot of ${[symbol, ...ready.filter((name) => name !== symbol)].join(', ')} before the replay drops an update of ${symbol}`,
        )
        const mark = reader.events.length
        script.startListening()
        resume()
        const resyncIndex = (): number => reader.events.findIndex((event, i) => i >= mark && isResyncOf(event, symbol))
        await reader.until(() => resyncIndex() >= 0, `status 'resync' for ${symbol} after one of its book updates was dropped`)
        await script.acted(options.timeoutMs)
        const resyncAt = resyncIndex()
        if (script.answers) {
          const rebuilt = (): boolean => reader.events.some((event, i) => i > resyncAt && isBookOf(event, symbol))
          await reader.until(rebuilt, `a book event of ${symbol} after its resync (the exchange answered the resync)`)
        }
        await readWholeReplay(context, reader)
        const problem = resyncScopeProblem(reader.events, symbol, mark, resyncAt)
        if (problem !== undefined) throw new ConformanceFailure(`${problem}; ${describeEvents(reader.events)}`)
      })
    },
  }
}
