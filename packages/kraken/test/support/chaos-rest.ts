/**
 * The chaos market's REST `GET /0/public/Trades` (see ./chaos-market.ts): pages from the market's
 * tapes, throttled now and then the way Kraken throttles, or every call refused with `restTrades: 'fail'`.
 * A recovery fault (./chaos-trade-faults.ts) may hold a call: it is answered once the fault releases it.
 */
import type { RestRequest, RestResponse, SeededRandom } from '@dccd/testkit'
import { altnameOf } from './asset-pairs.js'
import type { ChaosMarket, ChaosMarketOptions } from './chaos-market.js'

/** What the recovery faults ask of REST Trades. */
export interface RestHolds {
  /** Settles when the call (for `symbol`, from `since`) may be answered; undefined: answer at once. */
  hold(symbol: string, since: string): Promise<void> | undefined
  /**
   * Never throttled: a recovery fault's symbol, whose queued holes already cost a second each at the
   * feed's one call per second (a throttle on top would add another).
   */
  exempt(symbol: string): boolean
}

export class RestTrades {
  readonly #market: ChaosMarket
  readonly #options: ChaosMarketOptions
  /** Whether a call is throttled: a stream of its own, as the calls' order depends on timing. */
  readonly #io: SeededRandom
  readonly #symbolByAltname = new Map<string, string>()
  readonly #throttledLast = new Set<string>()
  readonly #holds: RestHolds

  constructor(market: ChaosMarket, options: ChaosMarketOptions, io: SeededRandom, holds: RestHolds) {
    this.#market = market
    this.#options = options
    this.#io = io
    this.#holds = holds
    for (const pair of options.pairs) this.#symbolByAltname.set(altnameOf(pair.symbol), pair.symbol)
  }

  async answer(request: RestRequest): Promise<RestResponse> {
    const restCalls = this.#market.restCalls
    const symbol = this.#symbolByAltname.get(request.query.get('pair') ?? '')
    const since = request.query.get('since') ?? ''
    if (symbol === undefined || !/^\d+$/.test(since)) {
      this.#market.unexpected.push(`REST Trades ${request.query.toString()}`)
      return { body: { error: ['EGeneral:Invalid arguments'] } }
    }
    const hold = this.#holds.hold(symbol, since)
    const held = hold !== undefined
    if (held) await hold
    if (this.#options.restTrades === 'fail') {
      restCalls.push({ ms: this.#market.elapsedMs, symbol, since, answer: 'error', held })
      return { body: '{"error":["EGeneral:Invalid arguments"]}' }
    }
    // Kraken throttles with a 200 and an error body. The run's first call always (of a symbol no recovery
    // fault is working on), later ones sometimes; never twice in a row for one pair, so the client's retries
    // always suffice. A held call is answered, not throttled.
    const throttled = restCalls.some((call) => call.answer === 'throttled')
    if (!held && !this.#holds.exempt(symbol) && !this.#throttledLast.has(symbol) && (!throttled || this.#io.chance(0.1))) {
      this.#throttledLast.add(symbol)
      restCalls.push({ ms: this.#market.elapsedMs, symbol, since, answer: 'throttled' })
      return { body: '{"error":["EGeneral:Too many requests"]}' }
    }
    this.#throttledLast.delete(symbol)
    const page = this.#market.tapes.get(symbol)!.restPage(`X${altnameOf(symbol)}`, BigInt(since), this.#options.restPageSize ?? 1000)
    restCalls.push({ ms: this.#market.elapsedMs, symbol, since, answer: 'page', last: page.last, firstId: page.firstId, lastId: page.lastId, held })
    return { body: page.body }
  }
}
