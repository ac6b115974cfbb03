/**
 * REST `GET /0/public/AssetPairs`: the pairs Kraken lists, keyed by v2 symbol,
 * with the name REST endpoints take (`altname`). Used to check symbols before
 * connecting and to name a pair for trade recovery.
 */
import type { RestClient } from '@dccd/transport'
import { wsnameToSymbol } from './symbols.js'
import type { KrakenAssetPairsResponse } from './wire.js'

/**
 * v2 symbol (`BTC/USD`, from the normalised `wsname`) → REST pair (`XBTUSD`, the `altname`).
 *
 * @throws ExchangeError when Kraken answers with an `error` array (the client's `checkBody`, see rest.ts)
 */
export async function fetchAssetPairs(client: RestClient): Promise<Map<string, string>> {
  const response = await client.getJson<KrakenAssetPairsResponse>('/0/public/AssetPairs')
  const pairs = new Map<string, string>()
  for (const [key, pair] of Object.entries(response.result ?? {})) {
    if (pair.wsname !== undefined) pairs.set(wsnameToSymbol(pair.wsname), pair.altname ?? key)
  }
  return pairs
}
