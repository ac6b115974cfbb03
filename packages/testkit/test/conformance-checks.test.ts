import { describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { shapeProblem, timestampProblem } from '../src/conformance/checks.js'

const T = 1_700_000_000_000_000
const base = { exchange: 'x', symbol: 'BTCUSDT', timestamp: T, localTimestamp: T }
const shape = (event: object): string | undefined => shapeProblem(event as MarketEvent, 'x', ['BTCUSDT'], ['1m'])

describe('conformance shape checks of the derivatives events', () => {
  it('accepts well-formed quote, derivative and liquidation events', () => {
    expect(shape({ ...base, type: 'quote', bidPrice: 100, bidAmount: 1, askPrice: 101, askAmount: 0 })).toBeUndefined()
    expect(shape({ ...base, type: 'derivative', markPrice: 100, fundingRate: -0.0001, fundingTime: T + 1 })).toBeUndefined()
    expect(shape({ ...base, type: 'derivative', openInterest: 0 })).toBeUndefined()
    expect(shape({ ...base, type: 'liquidation', side: 'sell', price: 99, amount: 2 })).toBeUndefined()
    expect(shape({ ...base, type: 'liquidation', id: '17', side: 'buy', price: 99, amount: 2 })).toBeUndefined()
  })

  it('rejects a quote without prices or with negative amounts', () => {
    expect(shape({ ...base, type: 'quote', bidPrice: 0, bidAmount: 1, askPrice: 101, askAmount: 1 })).toMatch(/bidPrice/)
    expect(shape({ ...base, type: 'quote', bidPrice: 100, bidAmount: -1, askPrice: 101, askAmount: 1 })).toMatch(/bidAmount/)
  })

  it('rejects derivative fields that stand in for missing data: 0 prices, undefined keys, no field at all', () => {
    expect(shape({ ...base, type: 'derivative' })).toMatch(/none of/)
    expect(shape({ ...base, type: 'derivative', markPrice: 0 })).toMatch(/markPrice 0 is not positive/)
    expect(shape({ ...base, type: 'derivative', markPrice: 100, indexPrice: undefined })).toMatch(/indexPrice is present but not a finite number/)
    expect(shape({ ...base, type: 'derivative', fundingRate: Number.NaN })).toMatch(/fundingRate/)
    expect(shape({ ...base, type: 'derivative', openInterest: -1 })).toMatch(/openInterest is negative/)
  })

  it('rejects a liquidation with an unknown side, an empty id or no amount', () => {
    expect(shape({ ...base, type: 'liquidation', side: 'unknown', price: 1, amount: 1 })).toMatch(/side/)
    expect(shape({ ...base, type: 'liquidation', id: '', side: 'buy', price: 1, amount: 1 })).toMatch(/id/)
    expect(shape({ ...base, type: 'liquidation', side: 'buy', price: 1, amount: 0 })).toMatch(/amount/)
  })

  it('checks fundingTime as a µs timestamp', () => {
    const event = { ...base, type: 'derivative', fundingRate: 0.0001, fundingTime: Math.floor(T / 1000) } as MarketEvent
    expect(timestampProblem(event, T)).toMatch(/fundingTime .* is not in microseconds/)
    expect(timestampProblem({ ...event, fundingTime: T } as MarketEvent, T)).toBeUndefined()
  })
})
