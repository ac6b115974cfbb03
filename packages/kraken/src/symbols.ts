/**
 * Kraken v2 symbol rules. v2 names pairs `BASE/QUOTE` with modern asset codes
 * (`BTC/USD`); v1 and REST `AssetPairs.wsname` still use `XBT` and `XDG`
 * (protocols §2.2), which v2 rejects with "Currency pair not supported".
 */

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
