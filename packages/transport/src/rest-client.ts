/**
 * Small JSON-over-HTTP client for snapshots and recovery: global `fetch`,
 * per-attempt timeout, retries with backoff on network errors, timeouts, 429
 * and 5xx (honouring `Retry-After`), a cap on body size, and one
 * {@link RestLimiter} (weight budget + requests in flight) that every request
 * of the client passes, so the exchange's REST budget is kept by construction.
 */
import { ExchangeError, InvalidArgumentError, RequestError, silentLogger } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { Backoff } from './backoff.js'
import { readCappedBody } from './read-body.js'
import { parseRetryAfter } from './retry-after.js'
import { RestLimiter } from './rest-limiter.js'
import type { RateLimit } from './rest-limiter.js'

/** Options of {@link RestClient}. */
export interface RestClientOptions {
  /** Prefix for every path, e.g. `https://api.binance.com`. */
  baseUrl: string
  /** Exchange id, used in errors. */
  exchange: string
  /** Per-attempt timeout, ms, covering the response headers and the whole body. Default 10000. */
  timeoutMs?: number
  /**
   * Largest response body read, bytes (decoded; an integer > 0). Default
   * 16 MiB: a few times the largest legitimate answer we know of (Binance
   * `exchangeInfo` for every symbol is 2–3 MB, `depth?limit=5000` 300–400 KB,
   * Kraken `AssetPairs` about 1 MB), and small enough that a runaway body
   * cannot exhaust the heap (a 450 MB one did). A `Content-Length` above it
   * fails the attempt without reading; a body that grows past it is cancelled
   * at the first read over. Either way the attempt is retried like a network
   * error (an exchange or proxy glitch), then fails with `RequestError`.
   * Error bodies (non-2xx) are read only up to 64 KiB (or this cap, if
   * smaller) and truncated, never failed. Override per request with
   * `RequestOptions.maxBytes`.
   */
  maxResponseBytes?: number
  /** Retries after the first attempt. Default 4. */
  retries?: number
  /** First retry delay, ms (doubles, jittered). Default 500. */
  initialBackoffMs?: number
  /** Cap on a retry delay, ms; a `Retry-After` longer than this fails the request instead of waiting. Default 30000. */
  maxBackoffMs?: number
  /**
   * Budget: `weight` per `intervalMs` (of which `share` may be used), kept as
   * a ledger where each request counts for a full window after its response,
   * so no server window, fixed or sliding, ever sees more. `usedWeightHeader`
   * names a response header carrying the server's count of weight used
   * (Binance `x-mbx-used-weight-1m`), folded in so other clients on the IP
   * count too. Change it later with {@link RestClient.setRateLimit}. Default: no limit.
   */
  rateLimit?: RateLimit
  /** Requests in flight at once (snapshots and recovery together), ≥ 1. Default: unlimited. */
  maxConcurrent?: number
  logger?: Logger
  /** Default: the global `fetch`. */
  fetch?: typeof fetch
  /** Turns a non-retryable error response into a typed error; return `undefined` for the default `ExchangeError`. */
  parseError?: (status: number, body: unknown) => Error | undefined
  /**
   * Looks at every 2xx JSON body, for exchanges that answer errors with HTTP
   * 200 (Kraken: `{"error":["EGeneral:Too many requests"]}`). Return
   * `{ retry: reason }` to retry it as a 429 is retried, an `Error` to fail
   * the request with it, or `undefined` to accept the body.
   */
  checkBody?: (body: unknown) => { retry: string } | Error | undefined
  /** Sees every response (before its body is read), e.g. to read rate-limit headers. */
  onResponse?: (response: Response, weight: number) => void
  /** Random source for jitter. Default `Math.random`. */
  random?: () => number
}

/** Options of one request. */
export interface RequestOptions {
  query?: Record<string, string | number>
  /** Rate-limit weight of this request. Default 1. */
  weight?: number
  /** Largest body read for this request, bytes; overrides `RestClientOptions.maxResponseBytes`. */
  maxBytes?: number
  signal?: AbortSignal
}

/** Default `maxResponseBytes`: 16 MiB. */
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
/** Error bodies only feed messages (200 chars) and `parseError`; Binance's and Kraken's are under 1 KiB. */
const MAX_ERROR_BODY_BYTES = 64 * 1024

/**
 * @example
 * const client = new RestClient({ baseUrl: 'https://api.binance.com', exchange: 'binance',
 *   rateLimit: { weight: 6000, intervalMs: 60_000, usedWeightHeader: 'x-mbx-used-weight-1m' } })
 * const depth = await client.getJson<{ lastUpdateId: number }>('/api/v3/depth', { query: { symbol: 'BTCUSDT', limit: 1000 }, weight: 50 })
 */
export class RestClient {
  /** The gate every request passes (budget and concurrency). */
  readonly limiter: RestLimiter
  private readonly fetch: typeof fetch
  private readonly logger: Logger
  private readonly timeoutMs: number
  private readonly retries: number
  private readonly maxResponseBytes: number

  constructor(private readonly options: RestClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch
    this.logger = options.logger ?? silentLogger
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.retries = options.retries ?? 4
    this.maxResponseBytes = checkByteCap('option maxResponseBytes', options.maxResponseBytes) ?? DEFAULT_MAX_RESPONSE_BYTES
    this.limiter = new RestLimiter({
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
      ...(options.maxConcurrent === undefined ? {} : { maxConcurrent: options.maxConcurrent }),
    })
  }

  /**
   * Adopt the exchange's real budget (e.g. Binance's `exchangeInfo.rateLimits`);
   * weight already spent keeps counting. Only for a client created with a `rateLimit`.
   */
  setRateLimit(rateLimit: RateLimit): void {
    this.limiter.setRateLimit(rateLimit)
  }

  /**
   * GET `path` and parse JSON. Throws `ExchangeError` (or `parseError`'s
   * error) for non-retryable responses, `RequestError` once retries are
   * exhausted (including for bodies over the size cap), `InvalidArgumentError`
   * for a bad `maxBytes`, and the signal's reason when `signal` aborts.
   */
  async getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const maxBytes = checkByteCap('request option maxBytes', options.maxBytes) ?? this.maxResponseBytes
    const url = this.buildUrl(path, options.query)
    const weight = options.weight ?? 1
    const maxBackoffMs = this.options.maxBackoffMs ?? 30_000
    const backoff = new Backoff({
      initialMs: this.options.initialBackoffMs ?? 500,
      factor: 2,
      maxMs: maxBackoffMs,
      jitter: 0.5,
      random: this.options.random,
    })
    for (let attempt = 0; ; attempt++) {
      const permit = await this.limiter.acquire(weight, options.signal)
      let outcome: Outcome
      try {
        outcome = await this.attempt(url, weight, maxBytes, options.signal)
      } finally {
        // After the whole answer (body included) is in: the weight counts for a window from here.
        permit.release()
      }
      if (outcome.kind === 'ok') return outcome.body as T
      if (outcome.kind === 'fatal') throw outcome.error
      if (attempt >= this.retries) {
        throw new RequestError(url, `${outcome.message} (after ${attempt + 1} attempts)`, outcome.status, {
          cause: outcome.cause,
        })
      }
      const delay = outcome.retryAfterMs ?? backoff.next()
      if (delay > maxBackoffMs) {
        throw new RequestError(url, `${outcome.message}; server asks to wait ${delay} ms`, outcome.status)
      }
      this.logger.warn('request failed; retrying', { url, attempt: attempt + 1, delayMs: delay, error: outcome.message })
      await sleep(delay, options.signal)
    }
  }

  private async attempt(url: string, weight: number, maxBytes: number, signal: AbortSignal | undefined): Promise<Outcome> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs)
    const onAbort = (): void => controller.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const response = await this.fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } })
      this.observe(response, weight)
      if (response.ok) {
        // The timer above still runs: a body that trickles in is cut at timeoutMs like a stalled header.
        const read = await readCappedBody(response, maxBytes, controller.signal, true)
        if (!read.complete) {
          const seen =
            read.declared !== undefined
              ? `Content-Length ${read.declared} exceeds maxBytes ${maxBytes}; body not read`
              : `${read.bytes} bytes read, over maxBytes ${maxBytes}; body cancelled`
          return { kind: 'retry', message: `response body too large: ${seen}`, status: response.status }
        }
        let body: unknown
        try {
          body = JSON.parse(read.text)
        } catch (error) {
          return { kind: 'fatal', error: new RequestError(url, 'response is not JSON', response.status, { cause: error }) }
        }
        const verdict = this.options.checkBody?.(body)
        if (verdict === undefined) return { kind: 'ok', body }
        if (verdict instanceof Error) return { kind: 'fatal', error: verdict }
        return { kind: 'retry', message: verdict.retry, status: response.status }
      }
      const status = response.status
      // Read (not cancel) a small error body so the connection can be reused; a huge one is truncated.
      const { text } = await readCappedBody(response, Math.min(maxBytes, MAX_ERROR_BODY_BYTES), controller.signal, false)
      if (status === 429 || status === 418 || status >= 500) {
        return {
          kind: 'retry',
          message: `HTTP ${status}`,
          status,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        }
      }
      const body = parseBody(text)
      const error =
        this.options.parseError?.(status, body) ??
        new ExchangeError(this.options.exchange, undefined, `HTTP ${status}: ${text.slice(0, 200)}`, { status })
      return { kind: 'fatal', error }
    } catch (error) {
      if (signal?.aborted === true) return { kind: 'fatal', error: signal.reason }
      const reason = controller.signal.aborted ? controller.signal.reason : error
      return { kind: 'retry', message: reason instanceof Error ? reason.message : String(reason), cause: reason }
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  private observe(response: Response, weight: number): void {
    const header = this.limiter.rateLimit?.usedWeightHeader
    if (header !== undefined) {
      const used = response.headers.get(header)
      if (used !== null) this.limiter.observe(Number(used))
    }
    try {
      this.options.onResponse?.(response, weight)
    } catch (error) {
      this.logger.error('onResponse threw', { error: error instanceof Error ? error.message : String(error) })
    }
  }

  private buildUrl(path: string, query: Record<string, string | number> | undefined): string {
    const base = this.options.baseUrl.replace(/\/+$/, '')
    const url = new URL(`${base}${path.startsWith('/') ? '' : '/'}${path}`)
    if (query !== undefined) for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value))
    return url.toString()
  }
}

/** Returns `value` when it is a valid byte cap (an integer > 0), `undefined` when absent; throws otherwise. */
function checkByteCap(argument: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgumentError(argument, value, ['an integer > 0'])
  return value
}

type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'fatal'; error: unknown }
  | { kind: 'retry'; message: string; status?: number; retryAfterMs?: number; cause?: unknown }

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
