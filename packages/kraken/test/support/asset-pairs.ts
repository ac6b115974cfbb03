import type { FakeExchange } from '@dccd/testkit'

/** Serves `GET /0/public/AssetPairs` listing `symbols` the way Kraken names them in `wsname` (XBT for BTC). */
export function serveAssetPairs(fx: FakeExchange, symbols: readonly string[]): void {
  const result: Record<string, { altname: string; wsname: string; status: string }> = {}
  for (const symbol of symbols) {
    const wsname = symbol.replace(/^BTC\//, 'XBT/').replace(/\/BTC$/, '/XBT')
    result[wsname.replace('/', '')] = { altname: wsname.replace('/', ''), wsname, status: 'online' }
  }
  fx.route('GET', '/0/public/AssetPairs', () => ({ body: { error: [], result } }))
}
