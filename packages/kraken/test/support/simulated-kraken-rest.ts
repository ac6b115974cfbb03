/**
 * The simulated Kraken's REST side (see ./simulated-kraken.ts), answering from a `SimulatedMarket` with
 * Kraken's documented paging rules and limits:
 * - `GET /0/public/Trades?pair&since`: at most 1000 rows with a time after `since` (ns), times written as
 *   seconds with 7 decimals (a JSON number), `last` = the last row's time in ns (a string);
 * - `GET /0/public/OHLC?pair&interval&since`: rows after `since` (unix seconds, exclusive) among the 720 most
 *   recent intervals, the last one the current, uncommitted interval; intervals without trades are flat rows
 *   at the previous close with vwap, volume and count 0; `last` = the last committed row's time;
 * - both limited per pair: a call arriving sooner than `pairCallIntervalMs` after the pair's previous answered
 *   call gets Kraken's `{"error":["EGeneral:Too many requests"]}` in a 200;
 * - the result key is Kraken's pair key (`XXBTUSD` here), never the name sent.
 */
import type { RestRequest, RestResponse, SimulatedMarket, SimulatedTrade } from '@dccd/testkit'
import { altnameOf } from './asset-pairs.js'

/** Kraken's OHLC window: the most recent intervals, the current one included. */
export const OHLC_WINDOW = 720
const TRADES_PAGE = 1000
const KRAKEN_MINUTES = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600]

/** One REST call as the server saw it. */
export interface SimulatedRestCall {
  /** Arrival, ms (`Date.now()`). */
  readonly at: number
  readonly path: string
  readonly symbol: string | undefined
  readonly query: string
  readonly answer: 'ok' | 'throttled' | 'error'
}

/**
 * A trade's time in ns as Kraken's REST has it: the µs time and a 7th decimal, the same for trades sharing a µs
 * (so ties at a page boundary are real ties).
 */
export function tradeNanos(trade: SimulatedTrade): bigint {
  return BigInt(trade.time) * 1000n + BigInt(tenthOf(trade.time)) * 100n
}

const tenthOf = (micros: number): number => Math.floor(micros / 7) % 10

export class SimulatedKrakenRest {
  readonly calls: SimulatedRestCall[] = []
  /** Trades `Trades` never returns (ids Kraken skipped): `symbol|id`. */
  readonly withheld = new Set<string>()
  /** Calls answered with an error body on purpose (a fault): path → how many more. */
  readonly failures = new Map<string, number>()
  readonly #market: SimulatedMarket
  readonly #symbolOf = new Map<string, string>()
  readonly #lastAnswered = new Map<string, number>()
  readonly #pairCallIntervalMs: number

  constructor(market: SimulatedMarket, pairCallIntervalMs: number) {
    this.#market = market
    this.#pairCallIntervalMs = pairCallIntervalMs
    for (const symbol of market.symbols) this.#symbolOf.set(altnameOf(symbol), symbol)
  }

  /** Calls to `path` answered `answer`. */
  count(path: string, answer: SimulatedRestCall['answer'] = 'ok'): number {
    return this.calls.filter((call) => call.path === path && call.answer === answer).length
  }

  answer(request: RestRequest): RestResponse {
    const symbol = this.#symbolOf.get(request.query.get('pair') ?? '')
    const at = Date.now()
    const record = (answer: SimulatedRestCall['answer']): void => {
      this.calls.push({ at, path: request.path, symbol, query: request.query.toString(), answer })
    }
    if (symbol === undefined) {
      record('error')
      return { body: { error: ['EQuery:Unknown asset pair'] } }
    }
    const failing = this.failures.get(request.path) ?? 0
    if (failing > 0) {
      this.failures.set(request.path, failing - 1)
      record('error')
      return { body: { error: ['EService:Unavailable'] } }
    }
    const previous = this.#lastAnswered.get(symbol)
    if (previous !== undefined && at - previous < this.#pairCallIntervalMs) {
      record('throttled')
      return { body: '{"error":["EGeneral:Too many requests"]}' }
    }
    this.#lastAnswered.set(symbol, at)
    const body = request.path === '/0/public/Trades' ? this.#trades(symbol, request.query) : this.#ohlc(symbol, request.query)
    record(body === undefined ? 'error' : 'ok')
    return { headers: { 'Content-Type': 'application/json' }, body: body ?? '{"error":["EGeneral:Invalid arguments"]}' }
  }

  #trades(symbol: string, query: URLSearchParams): string | undefined {
    const sinceText = query.get('since') ?? '0'
    if (!/^\d+$/.test(sinceText)) return undefined
    const since = BigInt(sinceText)
    // Candidates from the µs of `since` on (trades sharing it may lie after it in ns), then filtered in ns.
    const sinceMicros = Number(since / 1000n)
    const rows: string[] = []
    let last = since
    for (const trade of this.#market.tradesAfter(symbol, sinceMicros - 1, TRADES_PAGE * 2)) {
      const ns = tradeNanos(trade)
      if (ns <= since || this.withheld.has(`${symbol}|${trade.id}`)) continue
      if (rows.length === TRADES_PAGE) break
      const seconds = `${Math.floor(trade.time / 1e6)}.${String(trade.time % 1e6).padStart(6, '0')}${tenthOf(trade.time)}`
      rows.push(`["${trade.price.toFixed(5)}","${trade.amount.toFixed(8)}",${seconds},"${trade.side[0]}","l","",${trade.id}]`)
      last = ns
    }
    return `{"error":[],"result":{"X${altnameOf(symbol)}":[${rows.join(',')}],"last":"${last}"}}`
  }

  #ohlc(symbol: string, query: URLSearchParams): string | undefined {
    const minutes = Number(query.get('interval') ?? '1')
    const since = Number(query.get('since') ?? '0')
    if (!KRAKEN_MINUTES.includes(minutes) || !Number.isSafeInteger(since)) return undefined
    const length = minutes * 60_000_000
    const market = this.#market
    const currentOpen = Math.floor(market.now / length) * length
    const windowStart = currentOpen - (OHLC_WINDOW - 1) * length
    const from = Math.max(windowStart, (Math.floor(since / (length / 1e6)) + 1) * length)
    const bars = market.bars(symbol, `${minutes}m`, { from, emptyBars: 'flat' }).filter((bar) => bar.openTime > since * 1e6)
    const rows = bars.map((bar) => {
      const vwap = bar.trades === 0 ? '0.00000' : bar.close.toFixed(5)
      const prices = [bar.open, bar.high, bar.low, bar.close].map((price) => `"${price.toFixed(5)}"`).join(',')
      return `[${bar.openTime / 1e6},${prices},"${vwap}","${bar.volume.toFixed(8)}",${bar.trades}]`
    })
    const committed = bars.length >= 2 ? bars.at(-2)!.openTime / 1e6 : since
    return `{"error":[],"result":{"X${altnameOf(symbol)}":[${rows.join(',')}],"last":${committed}}}`
  }
}
