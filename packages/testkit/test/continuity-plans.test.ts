// The holes the continuity clauses cut, and how they judge what the adapter did about them: pure functions.
import type { MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import type { ContinuityRules } from '../src/conformance/index.js'
import { resyncScopeProblem, rotationProblem, tradeHoleProblem } from '../src/conformance/continuity-checks.js'
import { consecutiveTradeSymbols, planBookDrop, planTradeDrop, sessionSpanMs } from '../src/conformance/continuity-session.js'
import type { SessionFrame } from '../src/index.js'

type Toy = { book?: string; snapshot?: string; trade?: [string, ...string[]] }
const frame = (t: number, data: Toy): SessionFrame => ({ t, dir: 'in', data })
const rules: ContinuityRules = {
  bookUpdate: (f) => (f.data as Toy).book,
  bookSnapshot: (f) => (f.data as Toy).snapshot,
  trades: (f) => {
    const trade = (f.data as Toy).trade
    return trade === undefined ? undefined : { symbol: trade[0], ids: trade.slice(1) }
  },
}
const ids = (session: readonly SessionFrame[]): string[] => session.map((f) => ((f.data as Toy).trade ?? []).join(':'))

const status = (status: 'resync' | 'gap' | 'disconnected', fields: Partial<MarketEvent> = {}): MarketEvent =>
  ({ type: 'status', exchange: 'x', status, localTimestamp: 1, ...fields }) as MarketEvent
const trade = (symbol: string, id: string): MarketEvent =>
  ({ type: 'trade', exchange: 'x', symbol, id, price: 1, amount: 1, side: 'buy', timestamp: 1, localTimestamp: 1 })
const book = (symbol: string, isSnapshot: boolean): MarketEvent =>
  ({ type: 'book', exchange: 'x', symbol, isSnapshot, bids: [], asks: [], timestamp: 1, localTimestamp: 1 })

describe('planTradeDrop', () => {
  it('drops the middle frame whose ids sit between the previous and the next trade of its symbol', () => {
    const session = [frame(1, { trade: ['A', '1'] }), frame(2, { trade: ['A', '2', '3'] }), frame(3, { trade: ['B', '7'] }), frame(4, { trade: ['A', '4'] })]
    const drop = planTradeDrop(session, rules)
    expect(drop).toMatchObject({ symbol: 'A', dropped: ['2', '3'], nextId: '4', synthesized: false })
    expect(ids((drop as { session: SessionFrame[] }).session)).toEqual(['A:1', 'B:7', 'A:4'])
  })

  it('without such a frame, copies the last single trade of a symbol with the id after next (withTradeId)', () => {
    const session = [frame(1, { trade: ['A', '1'] }), frame(2, { trade: ['B', '9'] }), frame(3, { book: 'A' })]
    const withTradeId = (f: SessionFrame, id: string): SessionFrame => frame(f.t, { trade: [(f.data as Toy).trade![0], id] })
    expect(planTradeDrop(session, rules)).toMatch(/declare continuity.withTradeId/)
    const drop = planTradeDrop(session, { ...rules, withTradeId })
    expect(drop).toMatchObject({ symbol: 'A', dropped: ['2'], nextId: '3', synthesized: true })
    expect(ids((drop as { session: SessionFrame[] }).session)).toEqual(['A:1', 'A:3', 'B:9', ''])
  })

  it('counts ids beyond 2^53 exactly', () => {
    const big = ['9007199254740993', '9007199254740994', '9007199254740995']
    const drop = planTradeDrop(big.map((id, i) => frame(i, { trade: ['A', id] })), rules)
    expect(drop).toMatchObject({ dropped: ['9007199254740994'], nextId: '9007199254740995' })
  })
})

describe('planBookDrop, consecutiveTradeSymbols, sessionSpanMs', () => {
  it('drops the middle update of a symbol with updates before and after it, after its snapshot, naming the books up by then', () => {
    const session = [frame(0, { snapshot: 'A' }), frame(1, { book: 'B' }), frame(2, { book: 'A' }), frame(3, { book: 'A' }), frame(4, { book: 'A' }), frame(5, { book: 'C' })]
    expect(planBookDrop(session, rules, 'A')).toEqual({ symbol: 'A', index: 3, ready: ['A', 'B'] })
    expect(planBookDrop(session, rules, 'B')).toMatch(/no book update of B with another one before and after it/)
  })

  it('knows which symbols trade with consecutive ids, and how long the session lasts', () => {
    const session = [frame(1000, { trade: ['A', '1'] }), frame(1500, { trade: ['B', '5', '7'] }), frame(3000, { trade: ['A', '2'] })]
    expect(consecutiveTradeSymbols(session, rules)).toEqual(['A'])
    expect(sessionSpanMs([...session, { t: 9000, dir: 'rest', url: 'https://x.test', data: {} }])).toBe(2000)
  })
})

describe('tradeHoleProblem', () => {
  const dropped = ['5', '6']
  it('accepts ids recovered in order, or one gap of exactly them, before the next trade', () => {
    expect(tradeHoleProblem([trade('A', '4'), trade('A', '5'), trade('A', '6'), trade('A', '7')], 'A', dropped, '7')).toBeUndefined()
    const gap = status('gap', { symbol: 'A', channel: 'trades', fromId: '5', toId: '6' })
    expect(tradeHoleProblem([trade('A', '4'), gap, trade('A', '7')], 'A', dropped, '7')).toBeUndefined()
  })

  it('names a lost id, a duplicate, a gap too wide, split, late or on another channel', () => {
    const gap = (fromId: string, toId: string, channel = 'trades') => status('gap', { symbol: 'A', channel, fromId, toId })
    expect(tradeHoleProblem([trade('A', '4'), trade('A', '7')], 'A', dropped, '7')).toMatch(/trade 5 .* neither emitted nor reported/)
    expect(tradeHoleProblem([trade('A', '4'), gap('5', '6'), trade('A', '7'), trade('A', '7')], 'A', dropped, '7')).toMatch(/trade 7 was emitted twice/)
    expect(tradeHoleProblem([gap('5', '7'), trade('A', '7')], 'A', dropped, '7')).toMatch(/5\.\.7 of A reaches beyond the dropped ids 5\.\.6/)
    expect(tradeHoleProblem([gap('5', '5'), gap('6', '6'), trade('A', '7')], 'A', dropped, '7')).toMatch(/reported as 2 gaps, not one gap 5\.\.6/)
    expect(tradeHoleProblem([trade('A', '7'), gap('5', '6')], 'A', dropped, '7')).toMatch(/came after trade 7/)
    expect(tradeHoleProblem([gap('5', '6', 'book'), trade('A', '7')], 'A', dropped, '7')).toMatch(/channel "book", not 'trades'/)
    expect(tradeHoleProblem([trade('A', '5'), gap('5', '6'), trade('A', '7')], 'A', dropped, '7')).toMatch(/trade 5 was both emitted and reported/)
    expect(tradeHoleProblem([trade('A', '4')], 'A', dropped, '7')).toMatch(/trade 7, the one after the dropped ids 5\.\.6, never reached/)
  })
})

describe('resyncScopeProblem', () => {
  const before = [book('A', true), book('B', true), book('A', false)]
  it('accepts a resync of one symbol followed by its snapshot while the others stream on', () => {
    const events = [...before, status('resync', { symbol: 'A' }), book('B', false), book('A', true), book('A', false), book('C', true)]
    expect(resyncScopeProblem(events, 'A', 3, 3)).toBeUndefined()
  })

  it('names a delta before the new snapshot, another symbol resynced or snapshotted again, but forgives it after a disconnect', () => {
    const resync = status('resync', { symbol: 'A' })
    expect(resyncScopeProblem([...before, resync, book('A', false)], 'A', 3, 3)).toMatch(/delta of A came after its resync/)
    expect(resyncScopeProblem([...before, status('resync', { symbol: 'B' }), resync], 'A', 3, 4)).toMatch(/A resync of B followed/)
    expect(resyncScopeProblem([...before, resync, book('B', true)], 'A', 3, 3)).toMatch(/B's book was snapshotted again/)
    expect(resyncScopeProblem([...before, resync, status('disconnected'), book('B', true)], 'A', 3, 3)).toBeUndefined()
  })
})

describe('rotationProblem', () => {
  const expected = new Map([['A', ['1', '2', '3']]])
  it('accepts every session trade once, in order, without markers', () => {
    expect(rotationProblem([trade('A', '1'), trade('A', '2'), trade('A', '3')], expected, true)).toBeUndefined()
  })

  it('names a marker, a repeated id, or an id that never arrived once the replay is complete', () => {
    expect(rotationProblem([trade('A', '1'), status('disconnected')], expected, false)).toMatch(/emitted disconnected/)
    expect(rotationProblem([trade('A', '1'), trade('A', '2'), trade('A', '2')], expected, false)).toMatch(/trade 2 followed trade 2/)
    expect(rotationProblem([trade('A', '1'), trade('A', '3')], expected, false)).toBeUndefined()
    expect(rotationProblem([trade('A', '1'), trade('A', '3')], expected, true)).toMatch(/trades 2 of the session never reached/)
  })
})
