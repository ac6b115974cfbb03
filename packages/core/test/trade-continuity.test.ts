import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TradeContinuity } from '../src/index.js'
import type { MarketEvent, StatusEvent, TradeEvent, TradeHistorySource, TradeHole, TradeIdRule } from '../src/index.js'

const SYMBOL = 'BTCUSDT'

const trade = (id: number, symbol = SYMBOL): TradeEvent => ({
  type: 'trade',
  exchange: 'test',
  symbol,
  id: String(id),
  price: 100 + (id % 7),
  amount: 1,
  side: id % 2 === 0 ? 'buy' : 'sell',
  timestamp: 1_600_000_000_000_000 + id * 1000,
  localTimestamp: 1_700_000_000_000_000,
})

/** Trades as runs `a-b`, gaps as `gap a-b`: the order a consumer sees, compactly. */
function shape(events: readonly MarketEvent[]): string[] {
  const out: string[] = []
  let run: [number, number] | undefined
  const flush = (): void => {
    if (run !== undefined) out.push(run[0] === run[1] ? `${run[0]}` : `${run[0]}-${run[1]}`)
    run = undefined
  }
  for (const e of events) {
    if (e.type === 'trade') {
      const id = Number(e.id)
      if (run !== undefined && id === run[1] + 1) run[1] = id
      else {
        flush()
        run = [id, id]
      }
    } else if (e.type === 'status' && e.status === 'gap') {
      flush()
      out.push(`gap ${e.fromId}-${e.toId}`)
    }
  }
  flush()
  return out
}

interface Request {
  readonly hole: TradeHole
  /** Answer with these pages (then end), or fail. */
  answer(pages: number[][]): void
  fail(message: string): void
}

/**
 * A continuity whose history source waits for the test to answer each request, and
 * whose emitted and returned events land in one list in the order a consumer sees them.
 */
function harness(maxRecoveredTrades = 1000, withHistory = true, ids: TradeIdRule = 'consecutive', firstId?: (trade: TradeEvent) => number) {
  const events: MarketEvent[] = []
  const requests: Request[] = []
  let wake: () => void = () => {}
  const history: TradeHistorySource = {
    name: 'GET /trades',
    fetch(hole) {
      return (async function* () {
        const answer = await new Promise<number[][]>((resolve, reject) => {
          requests.push({ hole, answer: resolve, fail: (message) => reject(new Error(message)) })
          wake()
        })
        for (const page of answer) yield page.map((id) => trade(id, hole.symbol))
      })()
    },
  }
  const continuity = new TradeContinuity({
    exchange: 'test',
    history: withHistory ? history : undefined,
    maxRecoveredTrades,
    ids,
    ...(firstId === undefined ? {} : { firstId }),
    unrecoveredReason: 'recovery is off',
    emit: (event) => {
      events.push(event)
      wake()
    },
  })
  return {
    continuity,
    events,
    requests,
    feed(...ids: number[]): void {
      for (const id of ids) {
        const out: MarketEvent[] = []
        continuity.accept(trade(id), out)
        events.push(...out)
      }
    },
    /** Resolves once `done()` holds, re-checked whenever the continuity emits or asks. */
    async until(done: () => boolean): Promise<void> {
      while (!done()) await new Promise<void>((resolve) => (wake = resolve))
    },
  }
}

const gaps = (events: readonly MarketEvent[]): StatusEvent[] =>
  events.filter((e): e is StatusEvent => e.type === 'status' && e.status === 'gap')

describe('TradeContinuity', () => {
  it('passes consecutive trades through and drops ids already received', () => {
    const h = harness()
    h.feed(5, 6, 7, 6, 7, 8)
    expect(shape(h.events)).toEqual(['5-8'])
    expect(h.continuity.duplicates).toBe(2)
    expect(h.continuity.position(SYMBOL)).toEqual({ id: 8, timestamp: trade(8).timestamp })
  })

  it('reports a hole on a healthy stream as one gap before the next trade when nothing can recover it', () => {
    const h = harness(1000, false)
    h.feed(1, 2, 5, 6)
    expect(shape(h.events)).toEqual(['1-2', 'gap 3-4', '5-6'])
    expect(gaps(h.events)[0]).toMatchObject({ exchange: 'test', symbol: SYMBOL, channel: 'trades', reason: 'recovery is off' })
  })

  it('holds live trades while a hole is fetched, then emits the recovered ids in order before them', async () => {
    const h = harness()
    h.feed(1, 2, 6, 7)
    expect(shape(h.events)).toEqual(['1-2'])
    expect(h.continuity.recovering(SYMBOL)).toBe(true)
    await h.until(() => h.requests.length === 1)
    expect(h.requests[0]!.hole).toEqual({ symbol: SYMBOL, fromId: 3, toId: 5, afterTimestamp: trade(2).timestamp })
    h.requests[0]!.answer([[3, 4], [5]])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    h.feed(8)
    expect(shape(h.events)).toEqual(['1-8'])
  })

  it('marks only the ids the history did not return, and the failure reason for the rest', async () => {
    const h = harness()
    h.feed(1, 10, 11, 20)
    await h.until(() => h.requests.length === 1)
    h.requests[0]!.answer([[2, 3, 5], [8]])
    await h.until(() => h.requests.length === 2)
    expect(h.requests[1]!.hole).toMatchObject({ fromId: 12, toId: 19, afterTimestamp: trade(11).timestamp })
    h.requests[1]!.fail('HTTP 500')
    await h.until(() => !h.continuity.recovering(SYMBOL))
    expect(shape(h.events)).toEqual(['1-3', 'gap 4-4', '5', 'gap 6-7', '8', 'gap 9-9', '10-11', 'gap 12-19', '20'])
    expect(gaps(h.events).map((g) => g.reason)).toEqual([
      'not returned by GET /trades',
      'not returned by GET /trades',
      'not returned by GET /trades',
      'GET /trades failed: HTTP 500',
    ])
  })

  it('queues a hole found while another is recovered behind it, so neither hides the other', async () => {
    // The shape of a disconnect during a recovery: the next socket resumes further on.
    const h = harness()
    h.feed(1, 5, 6, 7, 6, 7, 12, 13)
    await h.until(() => h.requests.length === 1)
    expect(h.requests[0]!.hole).toMatchObject({ fromId: 2, toId: 4 })
    h.requests[0]!.answer([[2, 3, 4, 5, 6, 7, 8]]) // ids past the hole are ignored: the live ones are held
    await h.until(() => h.requests.length === 2)
    expect(h.requests[1]!.hole).toMatchObject({ fromId: 8, toId: 11, afterTimestamp: trade(7).timestamp })
    h.requests[1]!.answer([[8, 9, 10, 11]])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    expect(shape(h.events)).toEqual(['1-13'])
    expect(h.continuity.duplicates).toBe(2)
  })

  it('sorts a page that is not ascending and ignores ids outside the hole', async () => {
    const h = harness()
    h.feed(1, 5)
    await h.until(() => h.requests.length === 1)
    h.requests[0]!.answer([[4, 0, 3, 2, 1, 9]])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    expect(shape(h.events)).toEqual(['1-5'])
  })

  it('recovers only the oldest maxRecoveredTrades ids of a larger hole and marks the rest, naming the option', async () => {
    const h = harness(3)
    h.feed(1, 10)
    await h.until(() => h.requests.length === 1)
    expect(h.requests[0]!.hole).toMatchObject({ fromId: 2, toId: 4 })
    h.requests[0]!.answer([[2, 3, 4]])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    expect(shape(h.events)).toEqual(['1-4', 'gap 5-9', '10'])
    expect(gaps(h.events)[0]!.reason).toBe(
      'not recovered: maxRecoveredTrades (3) reached; the hole 2..9 has 8 trades and only its first 3 are fetched',
    )
  })

  it('gives up a recovery once maxRecoveredTrades live trades are held, marking the unfetched ids in place', async () => {
    const h = harness(3)
    h.feed(1, 5, 6)
    await h.until(() => h.requests.length === 1)
    h.feed(7) // the third held trade
    expect(h.continuity.recovering(SYMBOL)).toBe(false)
    expect(shape(h.events)).toEqual(['1', 'gap 2-4', '5-7'])
    expect(gaps(h.events)[0]!.reason).toBe('recovery abandoned: 3 live trades held meanwhile (maxRecoveredTrades is 3)')
    h.requests[0]!.answer([[2, 3, 4]]) // too late: ignored
    h.feed(8)
    expect(shape(h.events)).toEqual(['1', 'gap 2-4', '5-8'])
  })

  it('emits nothing more after stop(), whatever answers arrive', async () => {
    const h = harness()
    h.feed(1, 4, 5)
    await h.until(() => h.requests.length === 1)
    h.continuity.stop()
    h.requests[0]!.answer([[2, 3]])
    await Promise.resolve()
    expect(shape(h.events)).toEqual(['1'])
  })

  it('keeps symbols apart: a hole in one holds nothing of another', async () => {
    const h = harness()
    const out: MarketEvent[] = []
    h.continuity.accept(trade(1, 'A'), out)
    h.continuity.accept(trade(1, 'B'), out)
    h.continuity.accept(trade(3, 'A'), out)
    h.continuity.accept(trade(2, 'B'), out)
    expect(out.map((e) => `${(e as TradeEvent).symbol}${(e as TradeEvent).id}`)).toEqual(['A1', 'B1', 'B2'])
    expect(h.continuity.recovering('A')).toBe(true)
    expect(h.continuity.recovering('B')).toBe(false)
  })

  it('reports a capped hole once when the recovery is given up between its answer and the release of held trades', async () => {
    // The history has answered (gaps for 2-4 and, past the cap, 5) and the third held trade arrives
    // before the recovery resumes to release the held ones (a frame handled in a promise callback,
    // such as buffered frames replayed after a snapshot): giving up must not report 5 a second time.
    const events: MarketEvent[] = []
    let release: (() => void) | undefined
    const continuity = new TradeContinuity({
      exchange: 'test',
      maxRecoveredTrades: 3,
      unrecoveredReason: 'recovery is off',
      history: {
        name: 'GET /trades',
        fetch: () => (async function* () {})(), // nothing returned
      },
      emit: (event) => {
        events.push(event)
        if (event.type === 'status' && event.toId === '5') release?.()
      },
    })
    const feed = (id: number): void => {
      const out: MarketEvent[] = []
      continuity.accept(trade(id), out)
      events.push(...out)
    }
    release = () => feed(8)
    feed(1)
    feed(6) // hole 2-5: ids 2-4 fetched, 5 past the cap
    feed(7)
    while (continuity.recovering(SYMBOL)) await new Promise((resolve) => setImmediate(resolve))
    expect(shape(events)).toEqual(['1', 'gap 2-4', 'gap 5-5', '6-8'])
  })

  it('accounts for every id exactly once, as a trade or inside one gap, whatever is dropped, repeated or served', async () => {
    // A stream of ids 1..n with drops and replays, recovered by a history that serves some ids,
    // fails sometimes, and answers out of order with the stream.
    const plan = fc.record({
      n: fc.integer({ min: 2, max: 120 }),
      // size 'max': at the default size at most 10 ids were dropped and holes of 2 ids or more came in 1
      // run in 10; at full size this property found a capped hole reported twice (#unrecovered).
      dropped: fc.array(fc.integer({ min: 2, max: 120 }), { maxLength: 30, size: 'max' }),
      repeats: fc.array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 8 })), { maxLength: 8 }),
      served: fc.func(fc.boolean()),
      failing: fc.func(fc.boolean()),
      cap: fc.integer({ min: 1, max: 50 }),
    })
    await fc.assert(
      fc.asyncProperty(plan, async ({ n, dropped, repeats, served, failing, cap }) => {
        const h = harness(cap)
        const drop = new Set(dropped.filter((id) => id < n)) // the last id always arrives
        const stream: number[] = []
        for (let id = 1; id <= n; id++) {
          if (!drop.has(id)) stream.push(id)
          for (const [at, back] of repeats) if (at === id) for (let r = Math.max(1, id - back); r <= id; r++) stream.push(r)
        }
        let answered = 0
        const serve = async (): Promise<void> => {
          while (answered < h.requests.length) {
            const request = h.requests[answered++]!
            const { fromId, toId } = request.hole
            if (failing(fromId)) request.fail('down')
            else {
              const ids: number[] = []
              for (let id = fromId; id <= toId; id++) if (served(id)) ids.push(id)
              request.answer([ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)].filter((p) => p.length > 0))
            }
          }
        }
        for (const id of stream) {
          h.feed(id)
          await serve()
        }
        while (h.continuity.recovering(SYMBOL)) {
          await serve()
          await new Promise((resolve) => setImmediate(resolve))
        }
        const seen = new Map<number, number>()
        let lastTrade = 0
        for (const e of h.events) {
          if (e.type === 'trade') {
            const id = Number(e.id)
            expect(id).toBeGreaterThan(lastTrade) // ascending, no duplicate
            lastTrade = id
            seen.set(id, (seen.get(id) ?? 0) + 1)
          } else if (e.type === 'status') {
            for (let id = Number(e.fromId); id <= Number(e.toId); id++) seen.set(id, (seen.get(id) ?? 0) + 1)
            expect(Number(e.fromId)).toBeGreaterThan(lastTrade) // a gap never goes back
            lastTrade = Number(e.toId)
          }
        }
        for (let id = 1; id <= n; id++) expect(seen.get(id), `id ${id}`).toBe(1)
        expect(seen.size).toBe(n)
      }),
      { numRuns: 200 },
    )
  })
})

describe("TradeContinuity with ids: 'increasing' (OKX)", () => {
  it('passes jumps on a healthy stream through and still drops ids already received', () => {
    const h = harness(1000, true, 'increasing')
    h.feed(10, 13, 20, 20, 19, 25)
    expect(h.events.map((e) => (e.type === 'trade' ? e.id : e.type))).toEqual(['10', '13', '20', '25'])
    expect(h.continuity.duplicates).toBe(2)
    expect(h.requests).toHaveLength(0)
  })

  it('after an interruption, recovers what lies between and is proven complete by a trade past the hole', async () => {
    const h = harness(1000, true, 'increasing')
    h.feed(10, 12)
    h.continuity.interrupted(SYMBOL)
    h.feed(30, 31)
    expect(h.continuity.recovering(SYMBOL)).toBe(true)
    await h.until(() => h.requests.length === 1)
    expect(h.requests[0]!.hole).toMatchObject({ fromId: 13, toId: 29 })
    // Ids skip (15, 22 and 27 exist), and the page reaches the first live trade: complete, no gap.
    h.requests[0]!.answer([[15, 22, 27, 30]])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    h.feed(40)
    expect(h.events.map((e) => (e.type === 'trade' ? e.id : e.type))).toEqual(['10', '12', '15', '22', '27', '30', '31', '40'])
    expect(gaps(h.events)).toHaveLength(0)
  })

  it('reports one gap when the history cannot prove the hole complete, and a later jump on a healthy stream is no hole', async () => {
    const h = harness(1000, true, 'increasing')
    h.feed(10)
    h.continuity.interrupted(SYMBOL)
    h.feed(30)
    await h.until(() => h.requests.length === 1)
    h.requests[0]!.answer([])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    h.feed(35)
    expect(shape(h.events)).toEqual(['10', 'gap 11-29', '30', '35'])
    expect(gaps(h.events)[0]!.reason).toBe('not returned by GET /trades')
  })

  it('checks the first trade after a resume point, and ignores interruptions of a symbol that never traded', async () => {
    const h = harness(1000, true, 'increasing')
    h.continuity.interrupted(SYMBOL)
    h.continuity.resume('ETHUSDT', { lastId: '100', lastTimestamp: trade(100).timestamp })
    h.feed(5, 9)
    expect(h.requests).toHaveLength(0)
    const out: MarketEvent[] = []
    h.continuity.accept(trade(120, 'ETHUSDT'), out)
    await h.until(() => h.requests.length === 1)
    expect(h.requests[0]!.hole).toMatchObject({ symbol: 'ETHUSDT', fromId: 101, toId: 119 })
  })

  it('keeps consecutive venues unchanged: interrupted() adds nothing to the check every trade gets', () => {
    const h = harness(1000, false)
    h.feed(1, 2)
    h.continuity.interrupted(SYMBOL)
    h.feed(3, 5)
    expect(shape(h.events)).toEqual(['1-3', 'gap 4-4', '5'])
  })
})

describe("TradeContinuity with ids: 'checked' (OKX: fills numbered one by one in practice, not by documentation)", () => {
  const ids = (events: readonly MarketEvent[]): string[] => events.map((e) => (e.type === 'trade' ? e.id : `${e.type}`))

  it('checks every jump against the history, which decides: fills it returns go out, nothing returned in between is no gap', async () => {
    const h = harness(1000, true, 'checked')
    h.feed(10, 11, 15)
    await h.until(() => h.requests.length === 1)
    expect(h.requests[0]!.hole).toMatchObject({ fromId: 12, toId: 14 })
    // 13 exists, 12 and 14 do not: the history answers up to the trade past the hole.
    h.requests[0]!.answer([[13, 15]])
    await h.until(() => !h.continuity.recovering(SYMBOL))
    h.feed(16)
    expect(ids(h.events)).toEqual(['10', '11', '13', '15', '16'])
    expect(gaps(h.events)).toHaveLength(0)
  })

  it('takes a trade standing for several fills (firstId) as covering them: no hole below it', () => {
    // Each "row" id ends a run of fills: id 14 stands for 12..14.
    const counts = new Map([[14, 3], [20, 6]])
    const h = harness(1000, true, 'checked', (trade) => Number(trade.id) - (counts.get(Number(trade.id)) ?? 1) + 1)
    h.feed(10, 11, 14, 20)
    expect(h.requests).toHaveLength(0)
    expect(ids(h.events)).toEqual(['10', '11', '14', '20'])
  })

  it('after 20 checks in a row that found nothing missing, takes the jumps of that symbol as its numbering until an interruption', async () => {
    const h = harness(1000, true, 'checked')
    h.feed(0)
    for (let k = 1; k <= 20; k++) {
      h.feed(10 * k)
      await h.until(() => h.requests.length === k)
      h.requests[k - 1]!.answer([[10 * k]])
      await h.until(() => !h.continuity.recovering(SYMBOL))
    }
    h.feed(300)
    expect(h.continuity.recovering(SYMBOL)).toBe(false)
    expect(h.requests).toHaveLength(20)
    h.continuity.interrupted(SYMBOL)
    h.feed(400)
    await h.until(() => h.requests.length === 21)
    expect(h.requests[20]!.hole).toMatchObject({ fromId: 301, toId: 399 })
  })
})
