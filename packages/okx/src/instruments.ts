/**
 * `instruments()`: every spot pair, perpetual swap and expiry future OKX
 * lists (`GET /api/v5/public/instruments`, one request per type), as core's
 * `Instrument`. Swaps and futures count amounts in contracts: `ctVal`
 * `ctValCcy` is what one contract is worth (0.01 BTC for BTC-USDT-SWAP,
 * 100 USD for BTC-USD-SWAP).
 * https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
 */
import { decimalField, invalidField, silentLogger, urlOption } from '@dccd/core'
import type { Instrument, InstrumentsOptions } from '@dccd/core'
import type { OkxInstType } from './capabilities.js'
import { DEFAULT_REST_URL } from './options.js'
import { createRestClient, fetchInstruments } from './rest.js'
import type { OkxInstrument } from './wire.js'

const TYPES: readonly OkxInstType[] = ['SPOT', 'SWAP', 'FUTURES']

/**
 * The instruments OKX lists, spot first.
 *
 * @throws InvalidArgumentError for a bad `restUrl`; rejects with the request's error, or a TypeError for a row of the wrong shape
 */
export async function listInstruments(options: InstrumentsOptions = {}): Promise<Instrument[]> {
  const restUrl = urlOption('restUrl', options.restUrl, DEFAULT_REST_URL, ['http:', 'https:'], ['ws', 'api'])
  const rest = createRestClient(restUrl, options.logger ?? silentLogger)
  const signal = options.signal ?? new AbortController().signal
  const out: Instrument[] = []
  for (const type of TYPES) for (const row of await fetchInstruments(rest, type, signal)) out.push(instrumentOf(row))
  return out
}

/** One listing row → an instrument. @throws TypeError for a row of the wrong shape */
export function instrumentOf(row: OkxInstrument): Instrument {
  const { instId, instType } = row ?? {}
  if (typeof instId !== 'string') invalidField('instrument instId', instId)
  const [base, quote] = instId.split('-') as [string, string]
  // OKX's `state`: live, suspend, preopen, test; only live instruments trade.
  const trading = row.state === undefined || row.state === 'live' ? {} : { trading: false }
  if (instType === 'SPOT') return { symbol: instId, type: 'spot', base: row.baseCcy || base, quote: row.quoteCcy || quote, amountUnit: 'base', ...trading }
  if (instType !== 'SWAP' && instType !== 'FUTURES') invalidField(`${instId} instType`, instType)
  const instrument: { -readonly [K in keyof Instrument]: Instrument[K] } = {
    symbol: instId,
    type: instType === 'SWAP' ? 'perpetual' : 'future',
    base,
    quote,
    amountUnit: 'contracts',
    contractSize: decimalField(row.ctVal, `${instId} ctVal`),
    ...trading,
  }
  if (row.settleCcy) instrument.settle = row.settleCcy
  if (row.ctValCcy) instrument.contractUnit = row.ctValCcy
  if (instType === 'FUTURES') instrument.expiry = decimalField(row.expTime, `${instId} expTime`) * 1000
  return instrument
}
