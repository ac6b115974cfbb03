/**
 * The chaos market's REST `GET /0/public/Trades` (see ./chaos-market.ts): pages from the market's
 * tapes, throttled now and then the way Kraken throttles, or every call refused with `restTrades: 'fail'`.
 */
import type { RestRequest, RestResponse, SeededRandom } from '@dccd/testkit'
import { altnameOf } from './asset-pairs.js'
import type { ChaosMarket, ChaosMarketOptions } from './chaos-market.js'

export class RestTrades {
  readonly #market: ChaosMarket
  readonly #options: ChaosMarketOptions
  /** Whether a call is throttled: a stream of its own, as the calls' order depends on timing. */
  readonly #io: SeededRandom
  readonly #symbolByAltname = new Map<string, string>()
  readonly #throttledLast = new Set<string>()

  constructor(market: ChaosMarket, options: ChaosMarketOptions, io: SeededRandom) {
    this.#market = market
    this.#options = options
    this.#io = io
    for (const pair of options.pairs) this.#symbolByAltname.set(altnameOf(pair.symbol), pair.symbol)
  }

  answer(request: RestRequest): RestResponse {
    const restCalls = this.#market.restCalls
    const symbol = this.#symbolByAltname.get(request.query.get('pair') ?? '')
    const since = request.query.get('since') ?? ''
    if (symbol === undefined || !/^\d+$/.test(since)) {
      this.#market.unexpected.push(`REST Trades ${request.query.toString()}`)
      return { body: { error: ['EGeneral:Invalid arguments'] } }
    }
    if (this.#options.restTrades === 'fail') {
      restCalls.push({ symbol, since, answer: 'error' })
      return { body: '{"error":["EGeneral:Invalid arguments"]}' }
    }
    // Kraken throttles with a 200 and an error body. The run's first call always, later ones sometimes;
    // never twice in a row for one pair, so the client's retries always suffice.
    if (!this.#throttledLast.has(symbol) && (restCalls.length === 0 || this.#io.chance(0.1))) {
      this.#throttledLast.add(symbol)
      restCalls.push({ symbol, since, answer: 'throttled' })
      return { body: '{"error":["EGeneral:Too many requests"]}' }
    }
    this.#throttledLast.delete(symbol)
    const page = this.#market.tapes.get(symbol)!.restPage(`X${altnameOf(symbol)}`, BigInt(since), this.#options.restPageSize ?? 1000)
    restCalls.push({ symbol, since, answer: 'page', last: page.last })
    return { body: page.body }
  }
}
