import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeExchange, parseSession } from '../src/index.js'

let fx: FakeExchange
afterEach(async () => {
  await fx?.close()
})

describe('FakeExchange REST', () => {
  it('routes by method and path and passes query, headers and body to the handler', async () => {
    fx = await FakeExchange.start()
    fx.route('POST', '/api/echo', (req) => ({
      status: 201,
      headers: { 'X-Test': 'yes' },
      body: { method: req.method, path: req.path, q: req.query.get('q'), auth: req.headers['x-auth'], body: req.body },
    }))
    const res = await fetch(`${fx.restUrl}/api/echo?q=1`, { method: 'POST', headers: { 'X-Auth': 'k' }, body: 'hi' })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-test')).toBe('yes')
    expect(await res.json()).toEqual({ method: 'POST', path: '/api/echo', q: '1', auth: 'k', body: 'hi' })
    expect(fx.restRequests.map((r) => r.path)).toEqual(['/api/echo'])
  })

  it('answers 404 for unknown routes and 500 when a handler throws', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/boom', () => {
      throw new Error('kaput')
    })
    expect((await fetch(`${fx.restUrl}/nothing`)).status).toBe(404)
    expect((await fetch(`${fx.restUrl}/boom`)).status).toBe(500)
  })

  it('matches a RegExp path, and a handler answering undefined passes the request to earlier routes', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/depth', (req) => ({ body: { recorded: req.query.get('symbol') } }))
    fx.route('GET', /^\/api\//, (req) => (req.query.get('symbol') === 'B' ? { status: 503, body: 'down' } : undefined))
    const get = async (path: string): Promise<[number, string]> => {
      const res = await fetch(`${fx.restUrl}${path}`)
      return [res.status, await res.text()]
    }
    expect(await get('/api/v3/depth?symbol=A')).toEqual([200, '{"recorded":"A"}'])
    expect(await get('/api/v3/depth?symbol=B')).toEqual([503, 'down'])
    expect((await get('/api/v3/trades?symbol=A'))[0]).toBe(404)
    expect((await get('/other?symbol=B'))[0]).toBe(404)
  })

  it('awaits async handlers and honours delayMs', async () => {
    fx = await FakeExchange.start()
    let answered = false
    fx.route('GET', '/slow', async () => ({ body: 'late' }), { delayMs: 50 })
    const pending = fetch(`${fx.restUrl}/slow`).then(async (res) => {
      answered = true
      return res.text()
    })
    await fx.waitUntil(() => fx.restRequests.length === 1)
    expect(answered).toBe(false)
    expect(await pending).toBe('late')
  })

  it('serves session rest lines by path and query, in order, repeating the last', async () => {
    fx = await FakeExchange.start()
    fx.restFromSession(
      parseSession(
        [
          '{"t":1,"dir":"rest","url":"https://api.x.com/api/v3/depth?symbol=A&limit=1000","data":{"n":1}}',
          '{"t":2,"dir":"rest","url":"https://api.x.com/api/v3/depth?symbol=B&limit=1000","data":{"n":2}}',
          '{"t":3,"dir":"rest","url":"https://api.x.com/api/v3/depth?symbol=A&limit=1000","data":{"n":3}}',
        ].join('\n'),
      ),
    )
    const get = async (query: string): Promise<unknown> => {
      const res = await fetch(`${fx.restUrl}/api/v3/depth?${query}`)
      return res.status === 200 ? res.json() : res.status
    }
    expect(await get('limit=1000&symbol=A')).toEqual({ n: 1 })
    expect(await get('symbol=A&limit=1000')).toEqual({ n: 3 })
    expect(await get('symbol=A&limit=1000')).toEqual({ n: 3 })
    expect(await get('symbol=B&limit=1000')).toEqual({ n: 2 })
    expect(await get('symbol=B&limit=5000')).toBe(404)
  })

  it('weightLimit answers 429 with Retry-After past the limit and reports used weight on every response', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/depth', () => ({ body: {} }))
    fx.weightLimit({ limit: 10, windowMs: 60_000, weightOf: (req) => Number(req.query.get('w') ?? 1) })
    const first = await fetch(`${fx.restUrl}/api/v3/depth?w=6`)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-mbx-used-weight-1m')).toBe('6')
    const second = await fetch(`${fx.restUrl}/api/v3/depth?w=4`)
    expect(second.headers.get('x-mbx-used-weight-1m')).toBe('10')
    const third = await fetch(`${fx.restUrl}/api/v3/depth?w=1`)
    expect(third.status).toBe(429)
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(third.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    expect(third.headers.get('x-mbx-used-weight-1m')).toBe('10')
  })

  it('weightLimit resets after the window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      fx = await FakeExchange.start()
      fx.route('GET', '/x', () => ({ body: 'ok' }))
      fx.weightLimit({ limit: 1, windowMs: 60_000, usedWeightHeader: 'X-Used' })
      expect((await fetch(`${fx.restUrl}/x`)).headers.get('x-used')).toBe('1')
      const refused = await fetch(`${fx.restUrl}/x`)
      expect(refused.status).toBe(429)
      vi.setSystemTime(Date.now() + 60_000)
      const again = await fetch(`${fx.restUrl}/x`)
      expect(again.status).toBe(200)
      expect(again.headers.get('x-used')).toBe('1')
    } finally {
      vi.useRealTimers()
    }
  })
})
