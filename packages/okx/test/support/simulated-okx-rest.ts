/**
 * The simulated OKX's REST side (see ./simulated-okx.ts), OKX's envelope on every answer:
 * `{"code":"0","msg":"","data":[…]}`; errors are HTTP 200 with a non-zero `code` and `data: []`
 * (https://www.okx.com/docs-v5/en/#error-code-rest-public).
 * - `GET /api/v5/public/instruments?instType=SPOT|SWAP|FUTURES[&instId]` (okx-instruments.ts);
 * - `GET /api/v5/market/history-trades?instId&type&after&before&limit`: fills, newest first
 *   (`SimulatedOkxTrades.page` gives the exact bounds); history below a purge point is absent;
 * - `GET /api/v5/market/history-candles?instId&bar&after&before&limit` (also served as `/market/candles`): rows
 *   with open time < `after` and > `before`, newest first, chosen like trades (the newest `limit`; with `before`
 *   alone the `limit` just above it); the current bar has confirm `"0"`;
 * - `limit`: default 100, values above 100 are served as 100, anything not a positive integer is error 51000;
 * - rate limit per endpoint (path): `requests` per sliding `windowMs` of real time (default 20 per 2 s, OKX's limit
 *   for these endpoints); past it HTTP 429 `{"code":"50011","msg":"Too Many Requests"}`, not counted in the window.
 */
import type { FakeExchange, RestRequest, RestResponse } from '@dccd/testkit'
import { instrumentRow } from './okx-instruments.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'
import { OKX_BARS } from './simulated-okx-candles.js'
import type { OkxCandles } from './simulated-okx-candles.js'
import type { SimulatedOkxTrades } from './simulated-okx-trades.js'

/** A REST rate limit: `requests` per sliding window of `windowMs` (real time). */
export interface OkxRateLimit {
  readonly requests: number
  readonly windowMs: number
}

/** One REST call as the server answered it. */
export interface OkxRestCall {
  readonly path: string
  readonly query: string
  /** `ok`: code "0"; `error`: another code; `limited`: 429; `failed`: a {@link SimulatedOkxRest.failNext} fault. */
  readonly answer: 'ok' | 'error' | 'limited' | 'failed'
}

/** What the REST side reads. */
export interface OkxRestSources {
  readonly specs: readonly OkxInstrumentSpec[]
  readonly trades: ReadonlyMap<string, SimulatedOkxTrades>
  readonly candles: ReadonlyMap<string, OkxCandles>
  /** The market clock, ms. */
  readonly now: () => number
}

type Query = Record<string, number | string | undefined>

const ok = (data: unknown[]): RestResponse => ({ body: { code: '0', msg: '', data } })
const fail = (code: string, msg: string): RestResponse => ({ body: { code, msg, data: [] } })

export class SimulatedOkxRest {
  readonly calls: OkxRestCall[] = []
  readonly #sources: OkxRestSources
  readonly #limit: OkxRateLimit
  readonly #accepted = new Map<string, number[]>()
  readonly #failures = new Map<string, number>()

  readonly #onAnswer: () => void

  /** `onAnswer` runs after every answer (the simulator's waiters re-check then). */
  constructor(fx: FakeExchange, sources: OkxRestSources, limit: OkxRateLimit = { requests: 20, windowMs: 2000 }, onAnswer: () => void = () => {}) {
    this.#sources = sources
    this.#limit = limit
    this.#onAnswer = onAnswer
    this.#get(fx, '/api/v5/public/instruments', (request) => this.#instruments(request))
    this.#get(fx, '/api/v5/market/history-trades', (request) => this.#trades(request))
    this.#get(fx, '/api/v5/market/history-candles', (request) => this.#candles(request))
    this.#get(fx, '/api/v5/market/candles', (request) => this.#candles(request))
  }

  /** Calls to `path` answered `answer`. */
  count(path: string, answer: OkxRestCall['answer'] = 'ok'): number {
    return this.calls.filter((call) => call.path === path && call.answer === answer).length
  }

  /** The next `n` calls to `path` get HTTP 503 `{"code":"50001","msg":"Service temporarily unavailable…"}`. */
  failNext(path: string, n = 1): void {
    this.#failures.set(path, (this.#failures.get(path) ?? 0) + n)
  }

  #get(fx: FakeExchange, path: string, answer: (request: RestRequest) => RestResponse): void {
    fx.route('GET', path, (request) => {
      const record = (result: OkxRestCall['answer']): void => {
        this.calls.push({ path, query: request.query.toString(), answer: result })
        queueMicrotask(this.#onAnswer)
      }
      const now = Date.now()
      const accepted = (this.#accepted.get(path) ?? []).filter((at) => now - at < this.#limit.windowMs)
      this.#accepted.set(path, accepted)
      if (accepted.length >= this.#limit.requests) {
        record('limited')
        return { status: 429, body: { code: '50011', msg: 'Too Many Requests' } }
      }
      accepted.push(now)
      const failing = this.#failures.get(path) ?? 0
      if (failing > 0) {
        this.#failures.set(path, failing - 1)
        record('failed')
        return { status: 503, body: { code: '50001', msg: 'Service temporarily unavailable. Try again later', data: [] } }
      }
      const response = answer(request)
      record((response.body as { code: string }).code === '0' ? 'ok' : 'error')
      return response
    })
  }

  #instruments(request: RestRequest): RestResponse {
    const instType = request.query.get('instType')
    if (instType === null || instType === '') return fail('50014', 'Parameter instType can not be empty.')
    if (!['SPOT', 'SWAP', 'FUTURES', 'MARGIN', 'OPTION'].includes(instType)) return fail('51000', 'Parameter instType error')
    const instId = request.query.get('instId')
    const rows = this.#sources.specs.filter((spec) => spec.instType === instType && (instId === null || spec.instId === instId))
    if (instId !== null && rows.length === 0) return fail('51001', 'Instrument ID does not exist')
    return ok(rows.map(instrumentRow))
  }

  #trades(request: RestRequest): RestResponse {
    const parsed = this.#parse(request, ['after', 'before'])
    if ('response' in parsed) return parsed.response
    const type = request.query.get('type') ?? '1'
    if (type !== '1' && type !== '2') return fail('51000', 'Parameter type error')
    const { instId, after, before, limit } = parsed.query as { instId: string; after?: number; before?: number; limit: number }
    const rows = this.#sources.trades.get(instId)!.page({ type, after, before, limit })
    return ok(rows.map((fill) => ({ instId, side: fill.side, sz: fill.sz, px: fill.px, tradeId: String(fill.tradeId), ts: String(fill.ts) })))
  }

  #candles(request: RestRequest): RestResponse {
    const parsed = this.#parse(request, ['after', 'before'])
    if ('response' in parsed) return parsed.response
    const bar = request.query.get('bar') ?? '1m'
    if (OKX_BARS[bar] === undefined) return fail('51000', 'Parameter bar error')
    const { instId, after, before, limit } = parsed.query as { instId: string; after?: number; before?: number; limit: number }
    const now = this.#sources.now()
    const rows = this.#sources.candles.get(instId)!.rows(bar, before === undefined ? 0 : before + 1, after === undefined ? now : after - 1, now)
    const chosen = before !== undefined && after === undefined ? rows.slice(0, limit) : rows.slice(-limit)
    return ok(chosen.reverse())
  }

  /** `instId` (required, known), `limit` and the integer parameters `names`; an error response when invalid. */
  #parse(request: RestRequest, names: readonly string[]): { query: Query } | { response: RestResponse } {
    const instId = request.query.get('instId')
    if (instId === null || instId === '') return { response: fail('50014', 'Parameter instId can not be empty.') }
    if (!this.#sources.trades.has(instId)) return { response: fail('51001', 'Instrument ID does not exist') }
    const query: Query = { instId }
    const limitText = request.query.get('limit') ?? '100'
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1) return { response: fail('51000', 'Parameter limit error') }
    query.limit = Math.min(100, Number(limitText))
    for (const name of names) {
      const text = request.query.get(name)
      if (text === null || text === '') continue
      if (!/^\d+$/.test(text)) return { response: fail('51000', `Parameter ${name} error`) }
      query[name] = Number(text)
    }
    return { query }
  }
}
