/**
 * A raw `ws` client for the simulator's self-tests: collects every frame (JSON parsed; the text `pong` as is)
 * and resolves waits on them as they arrive. No timers: a wait that never resolves fails by the test's timeout.
 */
import { WebSocket } from 'ws'

/** A received frame: parsed JSON, or the text `pong`. */
export type RawFrame = Record<string, unknown> | 'pong'

export class OkxRawClient {
  readonly frames: RawFrame[] = []
  /** Resolves with the close code once the socket closed. */
  readonly closed: Promise<number>
  readonly #ws: WebSocket
  readonly #waiters = new Set<() => void>()

  private constructor(ws: WebSocket) {
    this.#ws = ws
    ws.on('message', (data) => {
      const text = data.toString()
      this.frames.push(text === 'pong' ? 'pong' : (JSON.parse(text) as Record<string, unknown>))
      for (const check of [...this.#waiters]) check()
    })
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)))
  }

  /** Opens `url` and resolves once connected. */
  static open(url: string): Promise<OkxRawClient> {
    const ws = new WebSocket(url)
    const client = new OkxRawClient(ws)
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client))
      ws.once('error', reject)
    })
  }

  /** Sends a string as is, anything else JSON-encoded. */
  send(message: string | object): void {
    this.#ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** Frames matching `predicate`. */
  matching(predicate: (frame: RawFrame) => boolean): RawFrame[] {
    return this.frames.filter(predicate)
  }

  /** Resolves once at least `count` received frames match `predicate`; returns them. */
  waitFor(predicate: (frame: RawFrame) => boolean, count = 1): Promise<RawFrame[]> {
    return new Promise((resolve) => {
      const check = (): void => {
        const found = this.matching(predicate)
        if (found.length < count) return
        this.#waiters.delete(check)
        resolve(found)
      }
      this.#waiters.add(check)
      check()
    })
  }

  close(): void {
    this.#ws.terminate()
  }
}

/** A predicate on pushes of `channel` (and `instId`). */
export const pushOf =
  (channel: string, instId?: string) =>
  (frame: RawFrame): boolean => {
    if (frame === 'pong' || !('data' in frame)) return false
    const arg = frame.arg as { channel: string; instId?: string }
    return arg.channel === channel && (instId === undefined || arg.instId === instId)
  }

/** A predicate on events (`subscribe`, `unsubscribe`, `error`). */
export const eventOf =
  (event: string) =>
  (frame: RawFrame): boolean =>
    frame !== 'pong' && frame.event === event
