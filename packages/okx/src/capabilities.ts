/**
 * What the OKX adapter offers and how OKX names things: the id, channels,
 * bar intervals, instrument ids and the book depths. Shared by the
 * descriptor, the option checks, the subscriptions and the parser.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-candlesticks-channel
 */
import type { ChannelKind, MarketDescription } from '@dccd/core'

/** Adapter id (`@dccd/okx`). */
export const EXCHANGE_ID = 'okx'

/**
 * dccd bar intervals → OKX candle channel suffixes. From 6 hours up OKX's
 * plain names (`candle1D`) open at Hong Kong midnight (UTC+8); the `utc`
 * variants open at UTC midnight like every other venue's bars, so those are
 * the ones used. Up to 4 hours both align alike.
 */
const CANDLES: Readonly<Record<string, string>> = {
  '1s': '1s',
  '1m': '1m',
  '3m': '3m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '1H',
  '2h': '2H',
  '4h': '4H',
  '6h': '6Hutc',
  '12h': '12Hutc',
  '1d': '1Dutc',
  '2d': '2Dutc',
  '3d': '3Dutc',
  '1w': '1Wutc',
  '1M': '1Mutc',
  '3M': '3Mutc',
}

/** Bar intervals accepted in `bars:<interval>`. */
export const BAR_INTERVALS: readonly string[] = Object.keys(CANDLES)

const INTERVAL_OF_CANDLE = new Map(Object.entries(CANDLES).map(([interval, candle]) => [`candle${candle}`, interval]))

/** `'1d'` → the channel `candle1Dutc`. @throws nothing: callers pass intervals `parseChannels` accepted */
export function candleChannel(interval: string): string {
  return `candle${CANDLES[interval]!}`
}

/** `'candle1Dutc'` → `'1d'`; undefined for a channel that is not one of ours. */
export function intervalOfCandle(channel: string): string | undefined {
  return INTERVAL_OF_CANDLE.get(channel)
}

/** OKX's REST `bar` parameter of an interval (`1Dutc`). */
export function restBar(interval: string): string {
  return CANDLES[interval]!
}

/** `bookDepth` values: 400 streams `books` (snapshot + updates), 5 streams `books5` (snapshots). */
export const BOOK_DEPTHS: readonly number[] = [400, 5]

/** What the adapter offers: the descriptor's fields and what `parseChannels` checks against. */
export const CAPABILITIES = {
  id: EXCHANGE_ID,
  name: 'OKX',
  channels: ['trades', 'book', 'bars', 'quotes', 'derivatives', 'liquidations'] as readonly ChannelKind[],
  barIntervals: BAR_INTERVALS,
  exampleSymbol: 'BTC-USDT',
}

/** What OKX's amounts count. */
export const MARKET: MarketDescription = {
  instrumentTypes: ['spot', 'perpetual', 'future'],
  amountUnit: 'per-instrument',
  openInterestUnit: 'contracts',
  note:
    'Symbols are OKX instIds: BTC-USDT (spot), BTC-USDT-SWAP (perpetual), BTC-USD-250627 (future). ' +
    'Amounts are OKX sz as sent: base currency on spot, contracts on swaps and futures ' +
    '(instruments() gives each contract value, ctVal in ctValCcy).',
}

/**
 * An OKX instId of the kinds streamed here: `BASE-QUOTE` (spot), `BASE-QUOTE-SWAP`
 * (perpetual), `BASE-QUOTE-YYMMDD` (future).
 */
export const SYMBOL_FORMAT = /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}(?:-SWAP|-\d{6})?$/

/** How {@link SYMBOL_FORMAT} reads in error messages. */
export const SYMBOL_FORMAT_DESCRIPTION = 'an OKX instId like BTC-USDT (spot), BTC-USDT-SWAP (perpetual) or BTC-USD-250627 (future)'

/** OKX's `instType` of an instId. */
export type OkxInstType = 'SPOT' | 'SWAP' | 'FUTURES'

/** The `instType` an instId belongs to, read from its form. */
export function instTypeOf(instId: string): OkxInstType {
  if (instId.endsWith('-SWAP')) return 'SWAP'
  return /-\d{6}$/.test(instId) ? 'FUTURES' : 'SPOT'
}

/** The index an instrument's `index-tickers` channel is keyed by: its first two parts (`BTC-USDT`). */
export function indexOf(instId: string): string {
  const [base, quote] = instId.split('-')
  return `${base}-${quote}`
}
