/**
 * Binance spot as the end-to-end server plays it: `GET /api/v3/depth` (the
 * session's snapshots), `GET /api/v3/exchangeInfo` (only needed when a client
 * validates symbols; its weight limit is out of reach, so a client that
 * adopts it never waits for the budget to fetch many snapshots), and combined streams subscribed through the URL
 * (`/stream?streams=a/b/…`) or by `SUBSCRIBE` messages, answered
 * `{"result":null,"id":…}` as Binance does.
 */
import type { WebSocket } from 'ws'
import type { BinanceE2eSession } from './binance-session.js'
import { refuse, type Venue } from './venue.js'

export function binanceVenue(session: BinanceE2eSession): Venue {
  const exchangeInfo = JSON.stringify({
    timezone: 'UTC',
    serverTime: Date.now(),
    // Binance's is 6,000 a minute: 96 snapshots of 1,000 levels at 80 %. A bench measures throughput, not that wait.
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 100_000_000 }],
    symbols: session.expected.symbols.map((symbol) => ({ symbol, status: 'TRADING' })),
  })
  return {
    session,
    rest(url) {
      if (url.pathname === '/api/v3/depth') return session.snapshots.get(url.searchParams.get('symbol') ?? '')
      if (url.pathname === '/api/v3/exchangeInfo') return exchangeInfo
      return undefined
    },
    connect(ws: WebSocket, path: string, flood: () => void) {
      const url = new URL(path, 'ws://venue')
      if (url.pathname !== '/stream') return refuse(ws, `unknown path ${url.pathname}; Binance combined streams are at /stream`)
      const subscribed = new Set(url.searchParams.get('streams')?.split('/').filter(Boolean) ?? [])
      let flooding = false
      const check = (): void => {
        const unknown = [...subscribed].filter((s) => !session.streams.includes(s))
        if (unknown.length > 0) return refuse(ws, `streams not in this session: ${unknown.join(', ')}`)
        if (!flooding && session.streams.every((s) => subscribed.has(s))) {
          flooding = true
          flood()
        }
      }
      ws.on('message', (data) => {
        const request = JSON.parse(String(data)) as { method?: string; params?: string[]; id?: number }
        if (request.method === 'SUBSCRIBE') for (const stream of request.params ?? []) subscribed.add(stream)
        ws.send(JSON.stringify({ result: null, id: request.id ?? null }))
        check()
      })
      check()
    },
  }
}
