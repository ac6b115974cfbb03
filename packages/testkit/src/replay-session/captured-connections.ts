/**
 * A capture split into its WebSocket connections, each with the frames to
 * replay on it, so a replayed socket gets exactly what its captured
 * counterpart carried (venues with several socket paths, reconnects).
 */
import type { SessionFrame } from '../session.js'

/** One socket of a capture. */
export interface CapturedConnection {
  /** Path and query it was opened with (`/stream?streams=a`); undefined when the capture did not record its URL. */
  readonly path: string | undefined
  /** Its URL-only line, `in` frames and the `out` lines a replay waits for, in capture order. */
  readonly frames: readonly SessionFrame[]
}

/**
 * The capture's connections in the order they were opened. Lines with `conn` go to that connection;
 * lines without it (a capture made before `conn` existed, or by another tool) form one connection.
 * Client messages sent more than `handshakeMs` after their socket opened are left out: they are
 * heartbeats or later requests, which a replay at full speed never makes the client send, so waiting
 * for them would stall it.
 */
export function capturedConnections(frames: readonly SessionFrame[], handshakeMs: number): CapturedConnection[] {
  const byConn = new Map<number, SessionFrame[]>()
  for (const frame of frames) {
    if (frame.dir === 'rest') continue
    const key = frame.conn ?? 0
    const list = byConn.get(key)
    if (list === undefined) byConn.set(key, [frame])
    else list.push(frame)
  }
  return [...byConn.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, list]) => {
      const opening = list.find((frame) => isUrlLine(frame))
      const openedAt = opening?.t ?? list[0]!.t
      return {
        path: opening?.url === undefined ? undefined : pathOf(opening.url),
        frames: list.filter((frame) => frame.dir !== 'out' || isUrlLine(frame) || frame.t - openedAt <= handshakeMs),
      }
    })
}

/** A URL-only `out` line: the socket was opened, nothing was sent. */
export function isUrlLine(frame: SessionFrame): boolean {
  return frame.dir === 'out' && frame.data === null && frame.raw === undefined
}

/** `wss://host:9443/stream?streams=a` → `/stream?streams=a`. */
export function pathOf(url: string): string {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}
