/**
 * REST side of the fake exchange: routes by method + path, recorded-session
 * responses, and a Binance-style request-weight limit.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { SessionFrame } from './session.js'

/** A REST request as route handlers see it. */
export interface RestRequest {
  readonly method: string
  /** Path without the query (`/api/v3/depth`). */
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  /** Request body as text (`''` when none). */
  readonly body: string
}

/** What a route answers. `body` objects are JSON-encoded; strings are sent as-is. */
export interface RestResponse {
  /** Default 200. */
  status?: number
  headers?: Record<string, string>
  body?: unknown
}

/**
 * A route handler; may be async. Returning `undefined` passes the request on to the
 * routes added before this one (and finally a 404), so a route can answer only some requests.
 */
export type RestHandler = (request: RestRequest) => RestResponse | undefined | Promise<RestResponse | undefined>

/** Options of {@link FakeExchange.route}. */
export interface RouteOptions {
  /** Wait this long before answering, ms (slow-server and timeout tests). Default 0. */
  delayMs?: number
}

/** Options of {@link FakeExchange.weightLimit}. */
export interface WeightLimitOptions {
  /** Weight allowed per window. */
  limit: number
  /** Window length, ms. Default 60000. */
  windowMs?: number
  /** Weight of one request. Default 1 for every request. */
  weightOf?: (request: RestRequest) => number
  /** Header carrying the used weight on every response. Default `X-MBX-USED-WEIGHT-1M`. */
  usedWeightHeader?: string
}

interface Route {
  matches(request: RestRequest): boolean
  handler: RestHandler
  delayMs: number
}

/** Routes REST requests; later routes take precedence over earlier ones. */
export class RestRouter {
  readonly #routes: Route[] = []
  #limit: Required<WeightLimitOptions> | undefined
  #windowStart = 0
  #used = 0

  add(method: string, path: string | RegExp, handler: RestHandler, options: RouteOptions = {}): void {
    const upper = method.toUpperCase()
    const pathMatches = typeof path === 'string' ? (p: string) => p === path : (p: string) => path.test(p)
    this.#routes.unshift({
      matches: (request) => request.method === upper && pathMatches(request.path),
      handler,
      delayMs: options.delayMs ?? 0,
    })
  }

  /** Serves a session's `rest` lines (GET), matched by path and query, with their `status`; repeats the last of several. */
  addSession(session: readonly SessionFrame[]): void {
    const groups = new Map<string, SessionFrame[]>()
    for (const frame of session) {
      if (frame.dir !== 'rest' || frame.url === undefined) continue
      const url = new URL(frame.url)
      const key = requestKey(url.pathname, url.searchParams)
      const group = groups.get(key)
      if (group === undefined) groups.set(key, [frame])
      else group.push(frame)
    }
    for (const [key, frames] of groups) {
      let served = 0
      this.#routes.unshift({
        matches: (request) => request.method === 'GET' && requestKey(request.path, request.query) === key,
        handler: () => {
          const frame = frames[Math.min(served++, frames.length - 1)]!
          // `raw` holds the captured text where re-encoding `data` would change it (big integers).
          const status = frame.status === undefined ? {} : { status: frame.status }
          if (frame.raw === undefined) return { ...status, body: frame.data }
          return { ...status, headers: { 'Content-Type': 'application/json' }, body: frame.raw }
        },
        delayMs: 0,
      })
    }
  }

  setWeightLimit(options: WeightLimitOptions): void {
    this.#limit = {
      limit: options.limit,
      windowMs: options.windowMs ?? 60_000,
      weightOf: options.weightOf ?? (() => 1),
      usedWeightHeader: options.usedWeightHeader ?? 'X-MBX-USED-WEIGHT-1M',
    }
    this.#used = 0
    this.#windowStart = Date.now()
  }

  async handle(request: RestRequest, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {}
    const limited = this.#chargeWeight(request, headers)
    if (limited !== undefined) return write(res, { ...limited, headers: { ...headers, ...limited.headers } })
    for (const route of this.#routes) {
      if (!route.matches(request)) continue
      if (route.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, route.delayMs))
      let response: RestResponse | undefined
      try {
        response = await route.handler(request)
      } catch (error) {
        response = { status: 500, body: { error: String(error) } }
      }
      if (response !== undefined) return write(res, { ...response, headers: { ...headers, ...response.headers } })
    }
    write(res, { status: 404, headers, body: { error: `No route for ${request.method} ${request.path}` } })
  }

  /** Returns a 429 response past the limit; sets the used-weight header either way. */
  #chargeWeight(request: RestRequest, headers: Record<string, string>): RestResponse | undefined {
    const limit = this.#limit
    if (limit === undefined) return undefined
    const now = Date.now()
    if (now - this.#windowStart >= limit.windowMs) {
      this.#windowStart = now
      this.#used = 0
    }
    const weight = limit.weightOf(request)
    if (this.#used + weight > limit.limit) {
      headers[limit.usedWeightHeader] = String(this.#used)
      const retryAfterS = Math.max(1, Math.ceil((this.#windowStart + limit.windowMs - now) / 1000))
      return {
        status: 429,
        headers: { 'Retry-After': String(retryAfterS) },
        body: { code: -1003, msg: 'Too many requests; current limit is exceeded.' },
      }
    }
    this.#used += weight
    headers[limit.usedWeightHeader] = String(this.#used)
    return undefined
  }
}

/** Reads a node request into a {@link RestRequest}. */
export async function readRequest(req: IncomingMessage): Promise<RestRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  }
}

function requestKey(path: string, query: URLSearchParams): string {
  const params = [...query].map(([k, v]) => `${k}=${v}`).sort()
  return `${path}?${params.join('&')}`
}

function write(res: ServerResponse, response: RestResponse): void {
  if (res.destroyed) return
  const body = response.body
  const isText = typeof body === 'string' || Buffer.isBuffer(body)
  const payload = body === undefined ? '' : isText ? body : JSON.stringify(body)
  const headers: Record<string, string> = { ...(isText ? {} : { 'Content-Type': 'application/json' }), ...response.headers }
  res.writeHead(response.status ?? 200, headers)
  res.end(payload)
}
