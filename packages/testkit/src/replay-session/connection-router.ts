/**
 * Gives each socket the replaying client opens the captured connection it
 * stands for: the first unused one with the same path and query, else the
 * same path, else one whose URL was not recorded. A socket whose captured
 * counterpart was followed by another on the same path is closed once its
 * frames are out, so the client reconnects as it did during the capture.
 */
import type { FakeConnection } from '../fake-connection.js'
import { Replay } from '../replay.js'
import type { CapturedConnection } from './captured-connections.js'

/** @internal */
export class ConnectionRouter {
  readonly #used = new Set<CapturedConnection>()
  readonly #replays = new Map<FakeConnection, Replay>()

  constructor(private readonly captured: readonly CapturedConnection[]) {}

  /** Starts the replay of `connection`'s captured counterpart; a socket with none gets nothing. */
  attach(connection: FakeConnection): void {
    const match = this.#match(connection.path)
    if (match === undefined) return
    this.#used.add(match)
    const replay = new Replay(match.frames, { waitForClient: true })
    this.#replays.set(connection, replay)
    replay.attach(connection)
    const followed = this.captured.some((other) => !this.#used.has(other) && other.path === match.path && this.captured.indexOf(other) > this.captured.indexOf(match))
    if (followed) void replay.finished(connection).then(() => connection.close(1000, 'replayed'))
  }

  /** Captured connections no socket has taken yet. */
  get unused(): number {
    return this.captured.length - this.#used.size
  }

  /** True once a socket got a replay and every one that did has had all of it (or closed); true for a capture without sockets. */
  get allSent(): boolean {
    if (this.#replays.size === 0 && this.captured.length > 0) return false
    for (const [connection, replay] of this.#replays) if (!replay.isFinished(connection)) return false
    return true
  }

  /** Frames sent to the client on every socket so far. */
  get sent(): number {
    let total = 0
    for (const connection of this.#replays.keys()) total += connection.sentCount
    return total
  }

  stop(): void {
    for (const replay of this.#replays.values()) replay.stop()
  }

  #match(path: string): CapturedConnection | undefined {
    const free = this.captured.filter((candidate) => !this.#used.has(candidate))
    const pathname = (p: string): string => p.split('?')[0]!
    return (
      free.find((candidate) => candidate.path === path) ??
      free.find((candidate) => candidate.path !== undefined && pathname(candidate.path) === pathname(path)) ??
      free.find((candidate) => candidate.path === undefined)
    )
  }
}
