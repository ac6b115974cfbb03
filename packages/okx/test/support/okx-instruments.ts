/**
 * The instruments the simulated OKX lists, and their `GET /api/v5/public/instruments` rows
 * (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments). As OKX does, spot rows leave the contract
 * fields empty and derivative rows leave `baseCcy`/`quoteCcy` empty.
 */
import { decimalsOf } from './okx-frames.js'

export type OkxInstType = 'SPOT' | 'SWAP' | 'FUTURES'

/** One simulated instrument. */
export interface OkxInstrumentSpec {
  readonly instId: string
  readonly instType: OkxInstType
  /** Spot: the instId. Derivatives: the underlying (`BTC-USDT`), also the index `index-tickers` is subscribed by. */
  readonly uly: string
  readonly baseCcy: string
  readonly quoteCcy: string
  readonly settleCcy: string
  /** Contract value (`"0.01"` BTC for BTC-USDT-SWAP, `"100"` USD for inverse); `""` for spot. */
  readonly ctVal: string
  readonly ctValCcy: string
  readonly ctType: 'linear' | 'inverse' | ''
  readonly tickSz: string
  /** Spot: base units; derivatives: contracts. */
  readonly lotSz: string
  /** Expiry, ms (futures only). */
  readonly expTime?: number
  /** Where the simulated price starts. */
  readonly startPrice: number
}

const LIST_TIME = Date.UTC(2019, 11, 1)

/** The default instruments: two spot pairs, a linear and an inverse swap, an inverse quarterly future. */
export const OKX_INSTRUMENTS: readonly OkxInstrumentSpec[] = [
  { instId: 'BTC-USDT', instType: 'SPOT', uly: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', settleCcy: '', ctVal: '', ctValCcy: '', ctType: '', tickSz: '0.1', lotSz: '0.00000001', startPrice: 42_000 },
  { instId: 'ETH-USDT', instType: 'SPOT', uly: 'ETH-USDT', baseCcy: 'ETH', quoteCcy: 'USDT', settleCcy: '', ctVal: '', ctValCcy: '', ctType: '', tickSz: '0.01', lotSz: '0.000001', startPrice: 2_200 },
  { instId: 'BTC-USDT-SWAP', instType: 'SWAP', uly: 'BTC-USDT', baseCcy: '', quoteCcy: '', settleCcy: 'USDT', ctVal: '0.01', ctValCcy: 'BTC', ctType: 'linear', tickSz: '0.1', lotSz: '1', startPrice: 42_010 },
  { instId: 'BTC-USD-SWAP', instType: 'SWAP', uly: 'BTC-USD', baseCcy: '', quoteCcy: '', settleCcy: 'BTC', ctVal: '100', ctValCcy: 'USD', ctType: 'inverse', tickSz: '0.1', lotSz: '1', startPrice: 42_005 },
  { instId: 'BTC-USD-250627', instType: 'FUTURES', uly: 'BTC-USD', baseCcy: '', quoteCcy: '', settleCcy: 'BTC', ctVal: '100', ctValCcy: 'USD', ctType: 'inverse', tickSz: '0.1', lotSz: '1', expTime: Date.UTC(2025, 5, 27, 8), startPrice: 42_400 },
]

/** The spec of a default instrument. */
export function okxInstrument(instId: string): OkxInstrumentSpec {
  const spec = OKX_INSTRUMENTS.find((candidate) => candidate.instId === instId)
  if (spec === undefined) throw new Error(`No default OKX instrument ${instId}. Known: ${OKX_INSTRUMENTS.map((s) => s.instId).join(', ')}`)
  return spec
}

/** The instruments REST row. */
export function instrumentRow(spec: OkxInstrumentSpec): Record<string, string> {
  const derivative = spec.instType !== 'SPOT'
  return {
    instType: spec.instType,
    instId: spec.instId,
    uly: derivative ? spec.uly : '',
    instFamily: derivative ? spec.uly : '',
    baseCcy: spec.baseCcy,
    quoteCcy: spec.quoteCcy,
    settleCcy: spec.settleCcy,
    ctVal: spec.ctVal,
    ctMult: derivative ? '1' : '',
    ctValCcy: spec.ctValCcy,
    ctType: spec.ctType,
    listTime: String(LIST_TIME),
    expTime: spec.expTime === undefined ? '' : String(spec.expTime),
    state: 'live',
    tickSz: spec.tickSz,
    lotSz: spec.lotSz,
  }
}

/** Price/size steps of an instrument as decimal places. */
export const stepsOf = (spec: OkxInstrumentSpec): { px: number; sz: number } => ({ px: decimalsOf(spec.tickSz), sz: decimalsOf(spec.lotSz) })
