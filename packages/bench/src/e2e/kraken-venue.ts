/**
 * Kraken v2 as the end-to-end server plays it, at `/v2`: the `status` frame
 * on connect; `subscribe` acknowledged per symbol as Kraken does (one ack per
 * symbol, `result` naming channel, symbol and, for books, depth); the
 * `instrument` snapshot after its ack; `ping` answered with `pong`. The data
 * frames flow once both `book` (at the session's depth) and `trade` are
 * subscribed for every symbol. No REST: v2 books need none.
 */
import type { WebSocket } from 'ws'
import { KRAKEN_DEPTH } from './kraken-depth-book.js'
import type { KrakenE2eSession } from './kraken-session.js'
import { refuse, type Venue } from './venue.js'

interface KrakenRequest {
  readonly method?: string
  readonly params?: { channel?: string; symbol?: string[]; depth?: number; snapshot?: boolean }
  readonly req_id?: number
}

export function krakenVenue(session: KrakenE2eSession): Venue {
  const symbols = session.expected.symbols
  return {
    session,
    rest: () => undefined,
    connect(ws: WebSocket, path: string, flood: () => void) {
      if (new URL(path, 'ws://venue').pathname !== '/v2') return refuse(ws, `unknown path ${path}; Kraken v2 is at /v2`)
      const channels = new Set<string>()
      let flooding = false
      ws.send(session.statusFrame)
      ws.on('message', (data) => {
        const request = JSON.parse(String(data)) as KrakenRequest
        const now = new Date().toISOString()
        const answer = (result: object): void =>
          ws.send(JSON.stringify({ method: request.method, result, success: true, time_in: now, time_out: now, req_id: request.req_id }))
        if (request.method === 'ping') {
          ws.send(JSON.stringify({ method: 'pong', req_id: request.req_id, time_in: now, time_out: now }))
          return
        }
        const channel = request.params?.channel ?? ''
        if (request.method !== 'subscribe') return answer({ channel })
        if (channel === 'instrument') {
          answer({ channel, snapshot: true })
          ws.send(session.instrumentFrame)
          return
        }
        const asked = request.params?.symbol ?? []
        if ((channel !== 'book' && channel !== 'trade') || symbols.some((s) => !asked.includes(s))) {
          return refuse(ws, `this session serves book and trade for ${symbols.join(', ')}`)
        }
        if (channel === 'book' && request.params?.depth !== KRAKEN_DEPTH) return refuse(ws, `this session's books are at depth ${KRAKEN_DEPTH}`)
        for (const symbol of asked) {
          answer(channel === 'book' ? { channel, depth: KRAKEN_DEPTH, snapshot: true, symbol } : { channel, snapshot: request.params?.snapshot ?? false, symbol })
        }
        channels.add(channel)
        if (!flooding && channels.has('book') && channels.has('trade')) {
          flooding = true
          flood()
        }
      })
    },
  }
}
