/**
 * OKX v5 as the end-to-end server plays it, at `/ws/v5/public`: each arg of
 * a `subscribe` (or `unsubscribe`) request acknowledged on its own as OKX
 * does (`{"event":"subscribe","arg":{…},"connId":…}`), the text `ping`
 * answered `pong`. The data frames flow once `books` and `trades` are
 * subscribed for every instrument; an arg the session does not serve is
 * refused. No REST: the clients do not validate symbols, and a feed that
 * asked for `history-trades` (a hole in the trade ids) would get a 404 and
 * fail its run loudly.
 */
import type { WebSocket } from 'ws'
import type { OkxE2eSession } from './okx-session.js'
import { refuse, type Venue } from './venue.js'

interface OkxRequest {
  readonly op?: string
  readonly args?: { channel?: string; instId?: string }[]
}

export function okxVenue(session: OkxE2eSession): Venue {
  const served = new Set(session.args.map(key))
  let connections = 0
  return {
    session,
    rest: () => undefined,
    connect(ws: WebSocket, path: string, flood: () => void) {
      if (new URL(path, 'ws://venue').pathname !== '/ws/v5/public') return refuse(ws, `unknown path ${path}; OKX's public channels are at /ws/v5/public`)
      const connId = (0x5e1f0c2a + connections++).toString(16)
      const subscribed = new Set<string>()
      let flooding = false
      ws.on('message', (data) => {
        const text = String(data)
        if (text === 'ping') return ws.send('pong')
        const request = JSON.parse(text) as OkxRequest
        if (request.op !== 'subscribe' && request.op !== 'unsubscribe') return refuse(ws, `unknown op ${request.op}`)
        for (const arg of request.args ?? []) {
          if (!served.has(key(arg))) return refuse(ws, `this session serves books and trades for ${session.expected.symbols.join(', ')}`)
          ws.send(JSON.stringify({ event: request.op, arg: { channel: arg.channel, instId: arg.instId }, connId }))
          if (request.op === 'subscribe') subscribed.add(key(arg))
          else subscribed.delete(key(arg))
        }
        if (!flooding && subscribed.size === served.size) {
          flooding = true
          flood()
        }
      })
    },
  }
}

const key = (arg: { channel?: string; instId?: string }): string => `${arg.channel}:${arg.instId}`
