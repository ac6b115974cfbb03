/**
 * What the Kraken adapter offers and how Kraken names things: the id,
 * channels, bar intervals (dccd names ↔ Kraken minutes), book depths and the
 * symbol rules. v2 names pairs `BASE/QUOTE` with modern asset codes
 * (`BTC/USD`); v1 and REST `AssetPairs.wsname` still use `XBT` and `XDG`
 * (protocols §2.2), which v2 rejects with "Currency pair not supported".
 */
import type { ChannelKind } from '@dccd/core'

/** Adapter id (`@dccd/kraken`). */
export const EXCHANGE_ID = 'kraken'

/** `ohlc` intervals: dccd name → Kraken minutes (protocols §2.7, the only values Kraken accepts). */
const MINUTES: Readonly<Record<string, number>> = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '4h': 240,
  '1d': 1440,
  '1w': 10080,
  '15d': 21600,
}

/** Every interval name Kraken offers, shortest first. */
export const BAR_INTERVALS: readonly string[] = Object.keys(MINUTES)

const NAMES = new Map<number, string>(Object.entries(MINUTES).map(([name, minutes]) => [minutes, name]))

/** `'1h'` → 60; `undefined` for an interval Kraken does not offer. */
export function intervalToMinutes(interval: string): number | undefined {
  return Object.hasOwn(MINUTES, interval) ? MINUTES[interval] : undefined
}

/** 60 → `'1h'`; `undefined` for a minute count Kraken does not use. */
export function minutesToInterval(minutes: number): string | undefined {
  return NAMES.get(minutes)
}

/** Book depths Kraken serves (protocols §2.8). */
export const BOOK_DEPTHS: readonly number[] = [10, 25, 100, 500, 1000]

/** Kraken's own default depth, used when `bookDepth` is not given. */
export const DEFAULT_BOOK_DEPTH = 10

/** What the adapter offers: the descriptor's fields and what `parseChannels` checks against. */
export const CAPABILITIES = {
  id: EXCHANGE_ID,
  name: 'Kraken',
  channels: ['trades', 'book', 'bars'] as readonly ChannelKind[],
  barIntervals: BAR_INTERVALS,
  exampleSymbol: 'BTC/USD',
}

/**
 * `BASE/QUOTE`, upper-case codes (a base may end in lower case, as tokenized
 * assets like `AAPLx` do); the legacy codes XBT and XDG are refused so the
 * mistake shows up offline instead of as a subscribe error.
 */
export const SYMBOL_FORMAT = /^(?!(?:XBT|XDG)\/)(?!.*\/(?:XBT|XDG)$)[A-Z0-9][A-Za-z0-9.]*\/[A-Z0-9]+$/

/** How {@link SYMBOL_FORMAT} reads to a person (for error messages). */
export const SYMBOL_FORMAT_DESCRIPTION = 'Kraken v2 BASE/QUOTE such as BTC/USD (BTC, not XBT; DOGE, not XDG)'

const LEGACY_ASSETS: Readonly<Record<string, string>> = { XBT: 'BTC', XDG: 'DOGE' }

/**
 * Turns a REST `AssetPairs` `wsname` (`XBT/USD`, `XDG/EUR`) into the v2 symbol
 * (`BTC/USD`, `DOGE/EUR`).
 */
export function wsnameToSymbol(wsname: string): string {
  const slash = wsname.indexOf('/')
  if (slash === -1) return wsname
  const base = wsname.slice(0, slash)
  const quote = wsname.slice(slash + 1)
  return `${LEGACY_ASSETS[base] ?? base}/${LEGACY_ASSETS[quote] ?? quote}`
}
