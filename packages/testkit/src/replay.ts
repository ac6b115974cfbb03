/**
 * Replays a recorded session to each new connection: the `in` frames in
 * order, pausing at each `out` line until the client has sent as many
 * messages as `out` lines passed so far.
 */
import type { FakeConnection } from './fake-connection.js'
import { frameText, type SessionFrame } from './session.js'

/** Options of {@link FakeExchange.replay}. */
export interface ReplayOptions {
  /** 0: as fast as possible; 1: real time; 2: twice as fast. Default 0. */
  speed?: number
  /** Pause at `out` lines until the client has sent that many messages. Default true. */
  waitForClient?: boolean
  /**
   * Replay only to connections whose upgrade path matches: a string equal to the path
   * without its query, a RegExp tested on path + query, or a predicate. Default: every connection.
   */
  path?: string | RegExp | ((path: string) => boolean)
  /** Start over after the last frame (out lines no longer wait). Default false. */
  loop?: boolean
}

/** A running replay; returned by {@link FakeExchange.replay}. */
export class Replay {
  readonly #done = new Map<FakeConnection, Promise<void>>()
  readonly #finished = new Set<FakeConnection>()
  #stopped = false

  /** @internal */
  constructor(
    private readonly frames: readonly SessionFrame[],
    private readonly options: ReplayOptions,
  ) {}

  /** @internal Starts the replay on `connection` if its path matches. */
  attach(connection: FakeConnection): void {
    if (this.#stopped || !pathMatches(this.options.path, connection.path)) return
    const run = this.#run(connection).finally(() => this.#finished.add(connection))
    this.#done.set(connection, run)
  }

  /** True once every frame has been sent to `connection` (or it closed, or the replay stopped). */
  isFinished(connection: FakeConnection): boolean {
    return this.#finished.has(connection)
  }

  /** Resolves when the replay to `connection` ends; immediately if it never ran there. */
  finished(connection: FakeConnection): Promise<void> {
    return this.#done.get(connection) ?? Promise.resolve()
  }

  /** Stops sending to every connection and ignores new ones. */
  stop(): void {
    this.#stopped = true
  }

  async #run(connection: FakeConnection): Promise<void> {
    const speed = this.options.speed ?? 0
    const waitForClient = this.options.waitForClient ?? true
    let outLines = 0
    let first = true
    do {
      const start = performance.now()
      const t0 = this.frames[0]?.t ?? 0
      for (const frame of this.frames) {
        if (!this.#active(connection)) return
        if (frame.dir === 'out') {
          // A URL-only line (data null) records the URL the client opened, not a message it sent.
          if (frame.data === null && frame.raw === undefined) continue
          outLines++
          if (first && waitForClient) {
            try {
              await connection.waitForMessageCount(outLines)
            } catch {
              return
            }
          }
          continue
        }
        if (frame.dir !== 'in') continue
        if (speed > 0) {
          const due = (frame.t - t0) / speed - (performance.now() - start)
          if (due > 0) await new Promise((resolve) => setTimeout(resolve, due))
          if (!this.#active(connection)) return
        }
        await connection.sendAndDrain(frameText(frame))
      }
      first = false
      // Yield between rounds so a looping replay at speed 0 never blocks the event loop.
      if (this.options.loop === true) await new Promise((resolve) => setImmediate(resolve))
    } while (this.options.loop === true)
  }

  #active(connection: FakeConnection): boolean {
    return !this.#stopped && connection.isOpen && !connection.isStalled
  }
}

function pathMatches(filter: ReplayOptions['path'], path: string): boolean {
  if (filter === undefined) return true
  if (typeof filter === 'string') return path.split('?')[0] === filter
  if (filter instanceof RegExp) return filter.test(path)
  return filter(path)
}
