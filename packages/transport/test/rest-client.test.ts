import { ExchangeError, RequestError } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RestClient } from '../src/index.js'

/** A scripted fetch: each call takes the next step (a Response, or an error to throw). */
function scriptedFetch(steps: (Response | Error | 'hang')[]) {
  const calls: { url: string; at: number }[] = []
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), at: Date.now() })
    const step = steps.shift() ?? new Response('{}', { status: 200 })
    if (step === 'hang') {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
      })
    }
    if (step instanceof Error) throw step
    return step
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers })

describe('RestClient (fake timers, scripted fetch)', () => {
  afterEach(() => vi.useRealTimers())

  it('retries network errors and 5xx with growing backoff, then returns the body', async () => {
    vi.useFakeTimers()
    const { fetch, calls } = scriptedFetch([new TypeError('fetch failed'), json({}, 502), json({ ok: 1 })])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch, initialBackoffMs: 100, random: () => 0 })
    const result = client.getJson<{ ok: number }>('/v1/x', { query: { symbol: 'BTCUSDT', limit: 5 } })
    await vi.advanceTimersByTimeAsync(1000)
    expect(await result).toEqual({ ok: 1 })
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill('https://api.test/v1/x?symbol=BTCUSDT&limit=5'))
    expect(calls[1]!.at - calls[0]!.at).toBe(100)
    expect(calls[2]!.at - calls[1]!.at).toBe(200)
  })

  it('honours Retry-After (seconds) on 429', async () => {
    vi.useFakeTimers()
    const { fetch, calls } = scriptedFetch([json({}, 429, { 'Retry-After': '3' }), json({ ok: 1 })])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch, initialBackoffMs: 100 })
    const result = client.getJson('/x')
    await vi.advanceTimersByTimeAsync(2999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await expect(result).resolves.toEqual({ ok: 1 })
    expect(calls[1]!.at - calls[0]!.at).toBe(3000)
  })

  it('gives up with RequestError after the retries, and when Retry-After exceeds maxBackoffMs', async () => {
    vi.useFakeTimers()
    const { fetch, calls } = scriptedFetch([json({}, 503), json({}, 503), json({}, 503)])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch, retries: 2, initialBackoffMs: 10 })
    const failing = expect(client.getJson('/x')).rejects.toSatisfy(
      (e) => e instanceof RequestError && e.code === 'DCCD_REQUEST_FAILED' && e.status === 503,
    )
    await vi.advanceTimersByTimeAsync(1000)
    await failing
    expect(calls).toHaveLength(3)

    const banned = scriptedFetch([json({}, 418, { 'Retry-After': '120' })])
    const client2 = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch: banned.fetch, maxBackoffMs: 30_000 })
    await expect(client2.getJson('/x')).rejects.toThrow('server asks to wait 120000 ms')
    expect(banned.calls).toHaveLength(1)
  })

  it('does not retry other 4xx and turns the body into parseError’s typed error', async () => {
    const { fetch, calls } = scriptedFetch([json({ code: -1121, msg: 'Invalid symbol.' }, 400)])
    const client = new RestClient({
      baseUrl: 'https://api.test',
      exchange: 'binance',
      fetch,
      parseError: (status, body) => {
        const b = body as { code: number; msg: string }
        return new ExchangeError('binance', b.code, b.msg, { status })
      },
    })
    const error = await client.getJson('/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExchangeError)
    expect(error).toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', exchangeCode: -1121, status: 400 })
    expect(calls).toHaveLength(1)

    const plain = new RestClient({ baseUrl: 'https://api.test', exchange: 'x', fetch: scriptedFetch([json('nope', 404)]).fetch })
    await expect(plain.getJson('/x')).rejects.toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', status: 404 })
  })

  it('lets checkBody retry a 200 that carries a throttling error, fail on another error, accept the rest', async () => {
    vi.useFakeTimers()
    // Kraken's style: errors in a 200 body.
    const checkBody = (body: unknown) => {
      const errors = (body as { error: string[] }).error
      if (errors.length === 0) return undefined
      return errors[0] === 'EGeneral:Too many requests' ? { retry: errors[0] } : new ExchangeError('kraken', errors[0], errors[0]!)
    }
    const throttled = scriptedFetch([json({ error: ['EGeneral:Too many requests'] }), json({ error: [], result: 1 })])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'kraken', fetch: throttled.fetch, checkBody, initialBackoffMs: 100, random: () => 0 })
    const result = client.getJson('/x')
    await vi.advanceTimersByTimeAsync(99)
    expect(throttled.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await expect(result).resolves.toEqual({ error: [], result: 1 })
    expect(throttled.calls).toHaveLength(2)

    const refused = scriptedFetch([json({ error: ['EQuery:Unknown asset pair'] })])
    const strict = new RestClient({ baseUrl: 'https://api.test', exchange: 'kraken', fetch: refused.fetch, checkBody })
    await expect(strict.getJson('/x')).rejects.toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', exchangeCode: 'EQuery:Unknown asset pair' })
    expect(refused.calls).toHaveLength(1)
  })

  it('times out a hanging attempt after timeoutMs and retries it', async () => {
    vi.useFakeTimers()
    const { fetch, calls } = scriptedFetch(['hang', json({ ok: 1 })])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch, timeoutMs: 2000, initialBackoffMs: 10, random: () => 0 })
    const result = client.getJson('/x')
    await vi.advanceTimersByTimeAsync(1999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(11)
    await expect(result).resolves.toEqual({ ok: 1 })
    expect(calls).toHaveLength(2)
  })

  it('an aborted signal ends the request without retrying', async () => {
    const { fetch, calls } = scriptedFetch(['hang'])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch })
    const controller = new AbortController()
    const result = client.getJson('/x', { signal: controller.signal })
    await Promise.resolve()
    controller.abort(new Error('user cancelled'))
    await expect(result).rejects.toThrow('user cancelled')
    expect(calls).toHaveLength(1)
  })

  it('delays a request whose weight exceeds the budget left until the earlier one has aged a full window', async () => {
    vi.useFakeTimers()
    const { fetch, calls } = scriptedFetch([])
    const client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch, rateLimit: { weight: 100, intervalMs: 10_000 } })
    await client.getJson('/a', { weight: 80 })
    const second = client.getJson('/b', { weight: 50 })
    // The first counts for 10 s from its answer: no server window can then see 130.
    await vi.advanceTimersByTimeAsync(9999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await second
    expect(calls).toHaveLength(2)
  })
})

describe('RestClient against the fake exchange', () => {
  let fx: FakeExchange | undefined
  afterEach(async () => {
    await fx?.close()
  })

  it('syncs its limiter from the used-weight header and passes every response to onResponse', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/depth', () => ({ status: 200, headers: {}, body: { lastUpdateId: 1 } }))
    fx.weightLimit({ limit: 1000, weightOf: () => 900, usedWeightHeader: 'X-MBX-USED-WEIGHT-1M' })
    const seen: number[] = []
    const client = new RestClient({
      baseUrl: fx.restUrl,
      exchange: 'test',
      rateLimit: { weight: 1000, intervalMs: 60_000, usedWeightHeader: 'x-mbx-used-weight-1m' },
      onResponse: (response, weight) => seen.push(response.status, weight),
    })
    await expect(client.getJson('/api/v3/depth', { query: { symbol: 'BTCUSDT' }, weight: 1 })).resolves.toEqual({
      lastUpdateId: 1,
    })
    expect(seen).toEqual([200, 1])
    // We spent 1, but the server says 900 are used: they count against our budget too.
    expect(client.limiter.used).toBe(900)
    expect(fx.restRequests[0]!.path).toBe('/api/v3/depth')
  })
})
