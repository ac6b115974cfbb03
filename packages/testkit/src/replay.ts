/**
 * Replays a recorded session to each new connection: the `in` frames in
 * order, pausing at each `out` line until the client has sent as many
 * messages as `out` lines passed so far.
 */
import type { FakeConnection } from './fake-connection.js'
import { frameMessage, type SessionFrame } from './session.js'

/** Options of {@link FakeExchange.replay}. */
export interface ReplayOptions {
  /**
   * 0: as fast as possible; 1: real time; 2: twice as fast. Pacing is measured from the first
   * `in` frame, so `rest` and `out` lines recorded long before the stream started delay nothing.
   * Default 0.
   */
  speed?: number
  /** Pause at `out` lines until the client has sent that many messages. Default true. */
  waitForClient?: boolean
  /**
   * Replay only to connections whose upgrade path matches: a string equal to the path
   * without its query, a RegExp tested on path + query, or a predicate. Default: every connection.
   */
  path?: string | RegExp | ((path: string) => boolean)
  /**
   * Which `in` frames a connection gets, by its upgrade path (path + query): a venue that routes
   * streams by path (Binance USDⓈ-M `/public` and `/market`) sends each frame on one connection
   * only. Frames it refuses are skipped for that connection (its position still moves past them).
   * Default: every frame to every connection.
   */
  serves?: (frame: SessionFrame, path: string) => boolean
  /** Start over after the last frame (out lines no longer wait). Default false. */
  loop?: boolean
  /**
   * Where a connection opened while the session is already playing starts. `'start'`: the whole
   * session again. `'live'`: its handshake (every frame up to the session's last `out` line), then
   * the session from the next frame the slowest connection still playing will send (without one,
   * from where the session's clock stands), paced by the same clock: a real exchange streams the
   * present to a new socket (rotation tests). `'live'` needs `speed > 0` and no `loop`. Default `'start'`.
   */
  join?: 'start' | 'live'
}

interface Pause {
  readonly index: number
  readonly released: Promise<void>
  open: boolean
}

/** A running replay; returned by {@link FakeExchange.replay}. */
export class Replay {
  readonly #done = new Map<FakeConnection, Promise<void>>()
  readonly #finished = new Set<FakeConnection>()
  readonly #position = new Map<FakeConnection, number>()
  readonly #pauses: Pause[] = []
  /** First `in` frame's capture time: pacing is measured from it. */
  readonly #t0: number
  /** Index of the last `out` line: the end of the handshake a live-joining connection replays. */
  readonly #handshakeEnd: number
  /** When the first connection sent its first paced frame (`performance.now()`); the shared clock of `join: 'live'`. */
  #epoch: number | undefined
  #stopped = false

  /** @internal */
  constructor(
    private readonly frames: readonly SessionFrame[],
    private readonly options: ReplayOptions,
  ) {
    if (options.join === 'live' && (!((options.speed ?? 0) > 0) || options.loop === true)) {
      throw new Error("Replay join 'live' needs speed > 0 and no loop: it follows the session's clock")
    }
    this.#t0 = frames.find((frame) => frame.dir === 'in')?.t ?? 0
    this.#handshakeEnd = frames.findLastIndex((frame) => frame.dir === 'out')
  }

  /** @internal Starts the replay on `connection` if its path matches. */
  attach(connection: FakeConnection): void {
    if (this.#stopped || !pathMatches(this.options.path, connection.path)) return
    this.#position.set(connection, 0)
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

  /**
   * Index in the session of the next frame the replay to `connection` handles: every frame
   * before it has been sent (or skipped). The session's length once finished; 0 before it starts.
   */
  position(connection: FakeConnection): number {
    return this.#position.get(connection) ?? 0
  }

  /**
   * Holds every connection's replay before the frame at `index` until the returned function is
   * called (a test waits for the client to reach a state, then lets the session go on).
   *
   * @example
   * const resume = replay.pauseAt(120)
   * await reader.until(() => booksLive())
   * resume()
   */
  pauseAt(index: number): () => void {
    let open!: () => void
    const pause: Pause = { index, open: false, released: new Promise<void>((resolve) => (open = resolve)) }
    this.#pauses.push(pause)
    return () => {
      pause.open = true
      open()
    }
  }

  /** Stops sending to every connection and ignores new ones. */
  stop(): void {
    this.#stopped = true
  }

  async #run(connection: FakeConnection): Promise<void> {
    const speed = this.options.speed ?? 0
    const waitForClient = this.options.waitForClient ?? true
    const serves = this.options.serves
    // A connection opened after the session started playing joins the present (join: 'live').
    const joining = this.options.join === 'live' && this.#epoch !== undefined
    // The present is what the connections still playing have sent: starting at the slowest one's
    // next frame leaves no hole even when a busy event loop made it lag behind the clock.
    const playing = [...this.#position].filter(([other]) => other !== connection && other.isOpen && !this.#finished.has(other))
    const joinAt = playing.length === 0 ? undefined : Math.min(...playing.map(([, position]) => position))
    /** Without a connection to follow, frames the session clock has passed are skipped until the first one sent. */
    let catchingUp = joining && joinAt === undefined
    let outLines = 0
    let first = true
    do {
      let start: number | undefined = joining ? this.#epoch : undefined
      for (let index = 0; index < this.frames.length; index++) {
        const frame = this.frames[index]!
        this.#position.set(connection, index)
        if (!(await this.#passPauses(index, connection))) return
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
        if (serves !== undefined && !serves(frame, connection.path)) continue
        const inHandshake = joining && index <= this.#handshakeEnd
        if (joining && !inHandshake && joinAt !== undefined && index < joinAt) continue
        if (speed > 0 && !inHandshake) {
          const due = (frame.t - this.#t0) / speed
          // The clock starts at the first paced frame: the first `in` frame, due at 0.
          if (start === undefined) {
            start = performance.now() - Math.max(0, due)
            this.#epoch ??= start
          }
          const wait = due - (performance.now() - start)
          // The session clock has passed this frame: the connections already open carried it.
          // Only at the join: a frame merely sent late (a busy event loop) must still go out.
          if (catchingUp && wait < 0) continue
          catchingUp = false
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
          if (!this.#active(connection)) return
        }
        await connection.sendAndDrain(frameMessage(frame))
      }
      this.#position.set(connection, this.frames.length)
      first = false
      // Yield between rounds so a looping replay at speed 0 never blocks the event loop.
      if (this.options.loop === true) await new Promise((resolve) => setImmediate(resolve))
    } while (this.options.loop === true)
  }

  /** Waits out every closed pause at or before `index`; false when the connection ended meanwhile. */
  async #passPauses(index: number, connection: FakeConnection): Promise<boolean> {
    for (const pause of this.#pauses) {
      if (pause.open || pause.index > index) continue
      await Promise.race([pause.released, connection.closed])
    }
    return this.#active(connection)
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
