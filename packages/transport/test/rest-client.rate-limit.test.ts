import { FakeExchange } from '@dccd/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RestClient } from '../src/index.js'
import { eventually } from './support/feeds.js'

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers })

describe('RestClient rate limit (scripted fetch)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('takes a permit for every attempt, retries included, so a retry waits for budget like any request', async () => {
    vi.useFakeTimers({ now: 0 })
    const steps = [json({}, 503), json({}, 503), json({ ok: 1 })]
    const calls: { at: number; inFlight: number; used: number }[] = []
    let client!: RestClient
    const fetch = (async () => {
      calls.push({ at: Date.now(), inFlight: client.limiter.inFlight, used: client.limiter.used })
      return steps.shift()!
    }) as unknown as typeof globalThis.fetch
    client = new RestClient({
      baseUrl: 'https://api.test',
      exchange: 'test',
      fetch,
      initialBackoffMs: 10,
      random: () => 0,
      rateLimit: { weight: 20, intervalMs: 10_000 },
    })
    const result = client.getJson('/depth', { weight: 10 })
    await vi.advanceTimersByTimeAsync(30) // backoff 10 + 20 ms: the third attempt is due, but the budget is spent
    expect(calls.map((c) => c.at)).toEqual([0, 10])
    await vi.advanceTimersByTimeAsync(10_000 - 30 - 1)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1) // the first attempt's weight ages out 10 s after its answer
    await expect(result).resolves.toEqual({ ok: 1 })
    expect(calls).toEqual([
      { at: 0, inFlight: 1, used: 10 },
      { at: 10, inFlight: 1, used: 20 },
      { at: 10_000, inFlight: 1, used: 20 },
    ])
    expect(client.limiter.inFlight).toBe(0)
  })

  it('releases the permit only after the whole body was read', async () => {
    let releaseBody!: () => void
    const bodyHeld = new Promise<void>((resolve) => (releaseBody = resolve))
    let whileReading: { inFlight: number; waiting: number; fetches: number } | undefined
    let fetches = 0
    let client!: RestClient
    const encoder = new TextEncoder()
    const fetch = (async () => {
      fetches++
      if (fetches > 1) return json({ second: true })
      let pulls = 0
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          if (++pulls === 1) {
            controller.enqueue(encoder.encode('{"first":'))
            return
          }
          // The client has the headers and the first chunk, and reads on: the request is still in flight.
          whileReading = { inFlight: client.limiter.inFlight, waiting: client.limiter.waiting, fetches }
          await bodyHeld
          controller.enqueue(encoder.encode('true}'))
          controller.close()
        },
      })
      return new Response(body, { status: 200 })
    }) as unknown as typeof globalThis.fetch
    client = new RestClient({ baseUrl: 'https://api.test', exchange: 'test', fetch, maxConcurrent: 1 })
    const first = client.getJson('/a')
    const second = client.getJson('/b')
    await eventually(() => whileReading !== undefined)
    expect(whileReading).toEqual({ inFlight: 1, waiting: 1, fetches: 1 })
    releaseBody()
    await expect(first).resolves.toEqual({ first: true })
    await expect(second).resolves.toEqual({ second: true })
    expect(fetches).toBe(2)
    expect(client.limiter.inFlight).toBe(0)
  })

  it('reads the used-weight header named by the rate limit in force, after setRateLimit', async () => {
    const answer = () => json({}, 200, { 'x-used-1m': '5', 'x-used-10s': '70' })
    const fetch = (async () => answer()) as unknown as typeof globalThis.fetch
    const client = new RestClient({
      baseUrl: 'https://api.test',
      exchange: 'test',
      fetch,
      rateLimit: { weight: 1000, intervalMs: 60_000, usedWeightHeader: 'x-used-1m' },
    })
    await client.getJson('/a')
    expect(client.limiter.used).toBe(5)

    client.setRateLimit({ weight: 100, intervalMs: 10_000, usedWeightHeader: 'x-used-10s' })
    await client.getJson('/b')
    expect(client.limiter.used).toBe(70)
    expect(client.limiter.rateLimit?.usedWeightHeader).toBe('x-used-10s')
  })
})

describe('RestClient maxConcurrent against the fake exchange', () => {
  let fx: FakeExchange | undefined
  afterEach(async () => {
    await fx?.close()
    fx = undefined
  })

  it('never has more than maxConcurrent requests at the server', async () => {
    fx = await FakeExchange.start()
    const held: (() => void)[] = []
    let atServer = 0
    let peak = 0
    fx.route('GET', '/api/v3/depth', (request) => {
      atServer++
      peak = Math.max(peak, atServer)
      return new Promise((resolve) => {
        held.push(() => {
          atServer--
          resolve({ body: { symbol: request.query.get('symbol') } })
        })
      })
    })
    const client = new RestClient({ baseUrl: fx.restUrl, exchange: 'test', maxConcurrent: 2 })
    const symbols = ['A', 'B', 'C', 'D', 'E']
    const results = Promise.all(symbols.map((symbol) => client.getJson('/api/v3/depth', { query: { symbol } })))
    await eventually(() => held.length === 2)
    expect(client.limiter.inFlight).toBe(2)
    expect(client.limiter.waiting).toBe(3)
    for (let answered = 0; answered < symbols.length; answered++) {
      await eventually(() => held.length > answered)
      held[answered]!()
    }
    expect(await results).toEqual(symbols.map((symbol) => ({ symbol })))
    expect(peak).toBe(2)
    expect(fx.restRequests).toHaveLength(5)
  })
})
