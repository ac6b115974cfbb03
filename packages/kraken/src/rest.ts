/**
 * Kraken REST: the client every request goes through, `AssetPairs`, and the
 * per-pair pacing `Trades` and `OHLC` share.
 *
 * Kraken answers errors in a 200 body (`{"error":["EAPI:Rate limit exceeded"]}`,
 * https://docs.kraken.com/api/docs/guides/spot-rest-intro). Throttling and
 * service errors mean "try again later", so the shared `RestClient` retries
 * them with its backoff, as it retries a 429; any other error fails the
 * request as an `ExchangeError` with Kraken's code. Trade history (`Trades`)
 * is in trades.ts, beside the continuity rule it serves.
 */
import { ExchangeError } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import type { RateLimit } from '@dccd/transport'
import { EXCHANGE_ID, wsnameToSymbol } from './capabilities.js'
import type { KrakenAssetPairsResponse } from './wire.js'

/** Errors Kraken clears by itself: throttling, maintenance, load. */
const RETRYABLE = /^E(General:Too many requests|API:Rate limit exceeded|Service:(Unavailable|Busy|Deadline elapsed)|General:Internal error)/

/** The `checkBody` of every Kraken REST client. */
export function checkKrakenBody(body: unknown): { retry: string } | Error | undefined {
  const errors = (body as { error?: unknown } | null)?.error
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  const first = String(errors[0])
  if (RETRYABLE.test(first)) return { retry: `Kraken: ${first}` }
  return new ExchangeError(EXCHANGE_ID, first, errors.join('; '))
}

/**
 * A REST client for Kraken's public endpoints under `restUrl`; `rateLimit` paces it
 * (trade history: one call per second per pair).
 */
export function createRestClient(restUrl: string, logger: Logger, rateLimit?: RateLimit): RestClient {
  return new RestClient({
    baseUrl: restUrl,
    exchange: EXCHANGE_ID,
    logger,
    checkBody: checkKrakenBody,
    ...(rateLimit === undefined ? {} : { rateLimit, initialBackoffMs: 1000 }),
  })
}

/**
 * Kraken's limit on `Trades` and `OHLC`: per IP *and pair*, about one call per
 * second (protocols §2.10; beyond it Kraken answers `EGeneral:Too many
 * requests` and throttles for a few seconds).
 */
export const PAIR_CALL_INTERVAL_MS = 1000

/**
 * Kraken's REST side as the feed's recovery and the history download use it:
 * the pair names, and one client per REST pair, paced so that `Trades` and
 * `OHLC` calls of one pair together stay within one per `pairCallIntervalMs`
 * (each call counts from its answer, so calls arrive at least that far apart).
 */
export class KrakenRest {
  readonly pairs: PairNames
  readonly #clients = new Map<string, RestClient>()
  readonly #restUrl: string
  readonly #logger: Logger
  readonly #pairCallIntervalMs: number

  /** @param pairCallIntervalMs one call per pair per this many ms; Kraken's rule unless a test shortens it */
  constructor(restUrl: string, logger: Logger, pairCallIntervalMs = PAIR_CALL_INTERVAL_MS) {
    this.#restUrl = restUrl
    this.#logger = logger
    this.#pairCallIntervalMs = pairCallIntervalMs
    this.pairs = new PairNames(createRestClient(restUrl, logger))
  }

  /** v2 symbol → REST pair and the client paced for that pair. */
  async pair(symbol: string, signal: AbortSignal): Promise<{ readonly pair: string; readonly client: RestClient }> {
    const pair = await this.pairs.restPair(symbol, signal)
    let client = this.#clients.get(pair)
    if (client === undefined) {
      // Kraken's error body (throttling included) is checked by the client, which retries throttling.
      client = createRestClient(this.#restUrl, this.#logger, { weight: 1, intervalMs: this.#pairCallIntervalMs })
      this.#clients.set(pair, client)
    }
    return { pair, client }
  }
}

/**
 * `GET /0/public/AssetPairs`: v2 symbol (`BTC/USD`, from the normalised `wsname`) → the
 * name REST endpoints take (`XBTUSD`, the `altname`). Used to check symbols before
 * connecting and to name a pair for trade recovery.
 *
 * @throws ExchangeError when Kraken answers with an `error` array
 */
export async function fetchAssetPairs(client: RestClient, signal: AbortSignal): Promise<Map<string, string>> {
  const response = await client.getJson<KrakenAssetPairsResponse>('/0/public/AssetPairs', { signal })
  const pairs = new Map<string, string>()
  for (const [key, pair] of Object.entries(response.result ?? {})) {
    if (pair.wsname !== undefined) pairs.set(wsnameToSymbol(pair.wsname), pair.altname ?? key)
  }
  return pairs
}

/**
 * Kraken's pair names, fetched from `AssetPairs` once and shared by the symbol
 * check before connecting and trade recovery (which must name pairs the REST
 * way). A failed fetch is asked again the next time.
 */
export class PairNames {
  #pairs: Promise<Map<string, string>> | undefined

  constructor(private readonly client: RestClient) {}

  /** Every pair Kraken lists: v2 symbol → REST pair. */
  all(signal: AbortSignal): Promise<Map<string, string>> {
    this.#pairs ??= fetchAssetPairs(this.client, signal).catch((error: unknown) => {
      this.#pairs = undefined
      throw error
    })
    return this.#pairs
  }

  /**
   * The REST pair of a v2 symbol (`BTC/USD` → `XBTUSD`).
   *
   * @throws Error when AssetPairs has no entry for it
   */
  async restPair(symbol: string, signal: AbortSignal): Promise<string> {
    const pair = (await this.all(signal)).get(symbol)
    if (pair === undefined) throw new Error(`AssetPairs has no pair whose wsname is ${symbol}`)
    return pair
  }
}
