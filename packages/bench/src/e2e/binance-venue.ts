/**
 * Binance as the end-to-end server plays it, spot (`/api/v3`) or USDⓈ-M
 * futures (`/fapi/v1`): `GET …/depth` (the session's snapshots),
 * `GET …/exchangeInfo` (only needed when a client validates symbols; its
 * weight limit is out of reach, so a client that adopts it never waits for
 * the budget to fetch many snapshots), and combined streams on the session's
 * paths (spot `/stream`; USDⓈ-M `/public/stream` for depth, `/market/stream`
 * for trades), subscribed through the URL (`?streams=a/b/…`) or by
 * `SUBSCRIBE` messages, answered `{"result":null,"id":…}` as Binance does. A
 * connection is flooded once it has every stream of its path; on USDⓈ-M,
 * with its path's part of the frames.
 */
import type { WebSocket } from 'ws'
import type { BinanceE2eSession } from './binance-session.js'
import { refuse, type Venue } from './venue.js'

/** Spot's REST prefix. */
export const SPOT_REST = '/api/v3'
/** USDⓈ-M's REST prefix. */
export const FUTURES_REST = '/fapi/v1'

export function binanceVenue(session: BinanceE2eSession, restPrefix: string = SPOT_REST): Venue {
  const exchangeInfo = JSON.stringify({
    timezone: 'UTC',
    serverTime: Date.now(),
    // Binance's is 6,000 a minute: 96 snapshots of 1,000 levels at 80 %. A bench measures throughput, not that wait.
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 100_000_000 }],
    symbols: session.expected.symbols.map((symbol) => ({ symbol, status: 'TRADING' })),
  })
  const paths = [...session.connections.keys()]
  return {
    session,
    rest(url) {
      if (url.pathname === `${restPrefix}/depth`) return session.snapshots.get(url.searchParams.get('symbol') ?? '')
      if (url.pathname === `${restPrefix}/exchangeInfo`) return exchangeInfo
      return undefined
    },
    connect(ws: WebSocket, path: string, flood: (part?: string) => void) {
      const url = new URL(path, 'ws://venue')
      const streams = session.connections.get(url.pathname)
      if (streams === undefined) return refuse(ws, `unknown path ${url.pathname}; this session's combined streams are at ${paths.join(', ')}`)
      const subscribed = new Set(url.searchParams.get('streams')?.split('/').filter(Boolean) ?? [])
      let flooding = false
      const check = (): void => {
        const unknown = [...subscribed].filter((s) => !streams.includes(s))
        if (unknown.length > 0) return refuse(ws, `streams not served on ${url.pathname} in this session: ${unknown.join(', ')}`)
        if (!flooding && streams.every((s) => subscribed.has(s))) {
          flooding = true
          flood(session.parts?.[url.pathname] === undefined ? undefined : url.pathname)
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
