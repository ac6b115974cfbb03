import type { FakeExchange } from '@dccd/testkit'

/** `symbol`'s `wsname` as Kraken's REST lists it: the legacy codes XBT (BTC) and XDG (DOGE). */
export function wsnameOf(symbol: string): string {
  return symbol.replace(/^BTC\//, 'XBT/').replace(/\/BTC$/, '/XBT').replace(/^DOGE\//, 'XDG/').replace(/\/DOGE$/, '/XDG')
}

/** The REST pair name (`altname`) for `symbol`, as {@link serveAssetPairs} lists it: `XBTUSD` for BTC/USD. */
export function altnameOf(symbol: string): string {
  return wsnameOf(symbol).replace('/', '')
}

/** Serves `GET /0/public/AssetPairs` listing `symbols` the way Kraken names them in `wsname` (XBT for BTC, XDG for DOGE). */
export function serveAssetPairs(fx: FakeExchange, symbols: readonly string[]): void {
  const result: Record<string, { altname: string; wsname: string; status: string }> = {}
  for (const symbol of symbols) result[altnameOf(symbol)] = { altname: altnameOf(symbol), wsname: wsnameOf(symbol), status: 'online' }
  fx.route('GET', '/0/public/AssetPairs', () => ({ body: { error: [], result } }))
}
