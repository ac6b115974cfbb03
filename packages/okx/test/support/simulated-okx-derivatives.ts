/**
 * Derivative data of the simulated OKX: `mark-price` (SWAP, FUTURES), `index-tickers` (per index: the underlying of
 * a derivative or a spot instId), `funding-rate` (SWAP), `open-interest` (SWAP, FUTURES) and `liquidation-orders`
 * (per instType, covering every instrument of the type, subscribed or not). Values follow each instrument's last
 * trade price; they are pushed at a fixed cadence of market time (OKX pushes them when they change, at most that
 * often), and once right after a subscription is acknowledged.
 * https://www.okx.com/docs-v5/en/#public-data-websocket-mark-price-channel (and the sections after it)
 */
import type { SeededRandom } from '@dccd/testkit'
import { formatDecimal, formatUnits } from './okx-frames.js'
import type { OkxPush } from './okx-frames.js'
import { stepsOf } from './okx-instruments.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'

/** How often each channel pushes, ms of market time. */
export interface OkxDerivativeCadence {
  /** Default 1000. */
  readonly markPrice?: number
  /** Default 1000. */
  readonly indexTickers?: number
  /** Default 3000. */
  readonly openInterest?: number
  /** Default 30000. */
  readonly fundingRate?: number
}

/** One liquidation `details` entry. */
export interface OkxLiquidationDetail {
  readonly side: 'buy' | 'sell'
  readonly posSide: 'long' | 'short'
  readonly bkPx: string
  readonly sz: string
  readonly bkLoss: string
  readonly ccy: string
  readonly ts: string
}

const FUNDING_PERIOD = 8 * 3_600_000

interface IndexState {
  readonly source: OkxInstrumentSpec
  open: number
  high: number
  low: number
  px: number
}

export class SimulatedOkxDerivatives {
  readonly #specs: readonly OkxInstrumentSpec[]
  readonly #random: SeededRandom
  readonly #price: (instId: string) => number
  readonly #cadence: Required<OkxDerivativeCadence>
  readonly #indexes = new Map<string, IndexState>()
  readonly #funding = new Map<string, number>()
  readonly #oi = new Map<string, number>()

  constructor(specs: readonly OkxInstrumentSpec[], random: SeededRandom, price: (instId: string) => number, cadence: OkxDerivativeCadence = {}) {
    this.#specs = specs
    this.#random = random
    this.#price = price
    this.#cadence = { markPrice: 1000, indexTickers: 1000, openInterest: 3000, fundingRate: 30_000, ...cadence }
    for (const spec of specs) {
      const index = spec.instType === 'SPOT' ? spec.instId : spec.uly
      const known = this.#indexes.get(index)
      if (known === undefined || (spec.instType === 'SPOT' && known.source.instType !== 'SPOT')) {
        const px = price(spec.instId)
        this.#indexes.set(index, { source: spec, open: px, high: px, low: px, px })
      }
      if (spec.instType === 'SWAP') this.#funding.set(spec.instId, 0.0001)
      if (spec.instType !== 'SPOT') this.#oi.set(spec.instId, 50_000 + random.int(0, 50_000))
    }
  }

  /** Whether `channel` exists for `id` (an instId, or for `index-tickers` an index). */
  serves(channel: string, id: string): boolean {
    const spec = this.#specs.find((candidate) => candidate.instId === id)
    switch (channel) {
      case 'index-tickers':
        return this.#indexes.has(id)
      case 'funding-rate':
        return spec?.instType === 'SWAP'
      case 'mark-price':
      case 'open-interest':
        return spec !== undefined && spec.instType !== 'SPOT'
      default:
        return false
    }
  }

  /** The pushes due in the market-time step `(from, to]`, values moved first. */
  step(from: number, to: number): OkxPush[] {
    const due = (every: number): boolean => Math.floor(to / every) > Math.floor(from / every)
    const out: OkxPush[] = []
    if (due(this.#cadence.indexTickers)) {
      for (const [index, state] of this.#indexes) {
        state.px = this.#price(state.source.instId) * (1 + (this.#random.next() - 0.5) * 0.0002)
        state.high = Math.max(state.high, state.px)
        state.low = Math.min(state.low, state.px)
        out.push(this.frame('index-tickers', index, to))
      }
    }
    for (const spec of this.#specs) {
      if (spec.instType === 'SPOT') continue
      if (due(this.#cadence.markPrice)) out.push(this.frame('mark-price', spec.instId, to))
      if (due(this.#cadence.openInterest)) {
        this.#oi.set(spec.instId, Math.max(1, this.#oi.get(spec.instId)! + this.#random.int(-500, 500)))
        out.push(this.frame('open-interest', spec.instId, to))
      }
      if (spec.instType === 'SWAP' && due(this.#cadence.fundingRate)) {
        const rate = this.#funding.get(spec.instId)! + (this.#random.next() - 0.5) * 0.00002
        this.#funding.set(spec.instId, Math.max(-0.0075, Math.min(0.0075, rate)))
        out.push(this.frame('funding-rate', spec.instId, to))
      }
    }
    return out
  }

  /** The current value of `channel` for `id` as a push at `ts` (ms). */
  frame(channel: string, id: string, ts: number): OkxPush {
    const arg = { channel, instId: id }
    if (channel === 'index-tickers') {
      const state = this.#indexes.get(id)!
      const decimals = stepsOf(state.source).px
      const px = (value: number): string => formatDecimal(value, decimals)
      const row = { instId: id, idxPx: px(state.px), open24h: px(state.open), high24h: px(state.high), low24h: px(state.low), sodUtc0: px(state.open), sodUtc8: px(state.open), ts: String(ts) }
      return { arg, data: [row] }
    }
    const spec = this.#specs.find((candidate) => candidate.instId === id)!
    const { instType, instId } = spec
    const price = this.#price(instId)
    if (channel === 'mark-price') {
      const ticks = Math.round(price / Number(spec.tickSz)) + this.#random.int(-2, 2)
      return { arg, data: [{ instType, instId, markPx: formatUnits(ticks, stepsOf(spec).px), ts: String(ts) }] }
    }
    if (channel === 'open-interest') {
      const oi = this.#oi.get(instId)!
      const ctVal = Number(spec.ctVal)
      const oiCcy = spec.ctType === 'inverse' ? (oi * ctVal) / price : oi * ctVal
      const oiUsd = spec.ctType === 'inverse' ? oi * ctVal : oiCcy * price
      return { arg, data: [{ instType, instId, oi: String(oi), oiCcy: formatDecimal(oiCcy), oiUsd: formatDecimal(oiUsd, 2), ts: String(ts) }] }
    }
    const fundingTime = (Math.floor(ts / FUNDING_PERIOD) + 1) * FUNDING_PERIOD
    const row = {
      instType,
      instId,
      fundingRate: formatDecimal(this.#funding.get(instId)!, 8),
      fundingTime: String(fundingTime),
      nextFundingRate: '',
      nextFundingTime: String(fundingTime + FUNDING_PERIOD),
      method: 'current_period',
      ts: String(ts),
    }
    return { arg, data: [row] }
  }

  /** A random liquidation of `instId` (a derivative) near its price at `ts`. */
  randomLiquidation(instId: string, ts: number): OkxLiquidationDetail {
    const spec = this.#specs.find((candidate) => candidate.instId === instId)!
    const side = this.#random.chance(0.5) ? 'sell' : 'buy'
    const ticks = Math.round((this.#price(instId) * (side === 'sell' ? 0.995 : 1.005)) / Number(spec.tickSz))
    return { side, posSide: side === 'sell' ? 'long' : 'short', bkPx: formatUnits(ticks, stepsOf(spec).px), sz: String(this.#random.int(1, 50)), bkLoss: '0', ccy: '', ts: String(ts) }
  }
}

/** A `liquidation-orders` push for one instrument. */
export function liquidationFrame(spec: OkxInstrumentSpec, details: readonly OkxLiquidationDetail[]): OkxPush {
  const row = { instType: spec.instType, instFamily: spec.uly, uly: spec.uly, instId: spec.instId, details: [...details] }
  return { arg: { channel: 'liquidation-orders', instType: spec.instType }, data: [row] }
}
