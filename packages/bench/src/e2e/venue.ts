import type { WebSocket } from 'ws'
import type { E2eSession } from './session.js'

/**
 * One exchange as the end-to-end server plays it: its REST answers and what
 * it does with a new WebSocket connection (acks, subscription checks), up to
 * the moment the session's frames may flow.
 */
export interface Venue {
  readonly session: E2eSession
  /** The body for `GET url`, or undefined for a 404. */
  rest(url: URL): string | undefined
  /**
   * A client connected on `path` (path and query of the upgrade request).
   * Calls `flood()` once, when the client has subscribed to everything the
   * session carries on that connection (a client that asks for something
   * else is refused); `flood(part)` for a session split over connections
   * (`E2eSession.parts`).
   */
  connect(ws: WebSocket, path: string, flood: (part?: string) => void): void
}

/** Refuses a connection whose subscription does not match the session: the run fails loudly rather than measuring nothing. */
export function refuse(ws: WebSocket, reason: string): void {
  ws.close(1008, reason.slice(0, 120))
}
