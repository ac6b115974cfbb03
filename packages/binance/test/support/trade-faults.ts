/**
 * Trade faults of the {@link ChaosMarket}: trade frames a healthy socket simply
 * never sends (no disconnect, no malformed frame), the first new trade a
 * replacement connection skips, and a `GET /api/v3/historicalTrades` answer held
 * back until the test releases it (so a hole is still being recovered when the
 * socket dies). Every skipped trade is recorded, so a test can check the feed
 * recovered or reported exactly those ids.
 */
import type { RestResponse, SeededRandom } from '@dccd/testkit'

/** A trade the market did not send on one connection. */
export interface DroppedTrade {
  readonly symbol: string
  readonly id: number
  readonly connectionId: number
  /**
   * `live`: skipped on a socket that went on streaming (the next trade of the symbol shows
   * the hole on that same socket); `resume`: the first new trade of a connection that
   * replaced a killed one (its hole joins whatever the reconnect itself missed).
   */
  readonly where: 'live' | 'resume'
}

/** A historicalTrades request held back: `armed` until it arrives, `held` until released. */
export interface RecoveryHold {
  readonly symbol: string
  /** `fromId` of the request to hold: the first id of the burst that armed it. */
  readonly fromId: number
  state: 'armed' | 'held' | 'released'
}

/** Frame the feed cannot parse (counted as a parse error): sent right after a chosen trade, it tells the test the feed has read that far. */
export const MARKER_FRAME = '<html><body>marker: the trade before this frame was sent</body></html>'

interface Burst {
  remaining: number
  /** The request for the burst's hole is still to be held (armed at its first id). */
  hold: boolean
}

interface DropWindow {
  readonly untilTick: number
  readonly probability: number
  readonly prng: SeededRandom
}

export class TradeFaults {
  /** Every trade skipped, in the order skipped. */
  readonly dropped: DroppedTrade[] = []
  /** Every historicalTrades hold armed, in order. */
  readonly holds: RecoveryHold[] = []
  /** Marker frames sent (see {@link MARKER_FRAME}). */
  markersSent = 0
  readonly #windows = new Map<number, DropWindow>()
  readonly #bursts = new Map<number, Map<string, Burst>>()
  /** Symbols whose first new trade the next connection skips. */
  readonly #nextConnection = new Set<string>()
  readonly #resumeDrops = new Map<number, Set<string>>()
  /** After the next trade of this symbol sent on the connection, a marker frame follows. */
  readonly #markAfter = new Map<number, string>()
  readonly #releases: Array<() => void> = []

  /** Until tick `untilTick` (inclusive), each new trade frame sent on the connection is skipped with `probability`. */
  window(connectionId: number, untilTick: number, probability: number, prng: SeededRandom): void {
    this.#windows.set(connectionId, { untilTick, probability, prng })
  }

  /** The next `count` new trades of `symbol` are skipped on the connection (one hole); `holdRecovery`: the historicalTrades request for that hole is held until {@link release}. */
  burst(connectionId: number, symbol: string, count: number, holdRecovery = false): void {
    let bursts = this.#bursts.get(connectionId)
    if (bursts === undefined) this.#bursts.set(connectionId, (bursts = new Map()))
    bursts.set(symbol, { remaining: count, hold: holdRecovery })
  }

  /** The next connection skips the first trade of `symbol` that no connection has sent yet, and sends a marker after the trade that follows it. */
  onNextConnection(symbol: string): void {
    this.#nextConnection.add(symbol)
  }

  /** A connection opened (before anything is sent on it): it takes the next-connection drops. */
  connected(connectionId: number): void {
    if (this.#nextConnection.size === 0) return
    this.#resumeDrops.set(connectionId, new Set(this.#nextConnection))
    this.#nextConnection.clear()
  }

  /** True when trade `id` of `symbol` is not to be sent on the connection (recorded as dropped). `isNew`: no connection has sent it yet. */
  skips(connectionId: number, symbol: string, id: number, isNew: boolean, tick: number): boolean {
    // Only new trades: a replayed one the client already has would not make a hole.
    if (!isNew) return false
    const resume = this.#resumeDrops.get(connectionId)
    if (resume?.delete(symbol) === true) {
      this.#markAfter.set(connectionId, symbol)
      return this.#drop(symbol, id, connectionId, 'resume')
    }
    const burst = this.#bursts.get(connectionId)?.get(symbol)
    if (burst !== undefined && burst.remaining > 0) {
      if (burst.hold) {
        burst.hold = false
        this.holds.push({ symbol, fromId: id, state: 'armed' })
      }
      if (--burst.remaining === 0) this.#bursts.get(connectionId)!.delete(symbol)
      return this.#drop(symbol, id, connectionId, 'live')
    }
    const window = this.#windows.get(connectionId)
    if (window !== undefined && tick <= window.untilTick && window.prng.chance(window.probability)) {
      return this.#drop(symbol, id, connectionId, 'live')
    }
    return false
  }

  /** A trade of `symbol` was sent on the connection: the marker frame to send right after it, if one is due. */
  afterSent(connectionId: number, symbol: string): string | undefined {
    if (this.#markAfter.get(connectionId) !== symbol) return undefined
    this.#markAfter.delete(connectionId)
    this.markersSent++
    return MARKER_FRAME
  }

  /** Drops and markers armed on the connection that have not happened yet (a window counts until its last tick). */
  pending(connectionId: number, tick: number): number {
    const window = this.#windows.get(connectionId)
    return (
      (window !== undefined && tick <= window.untilTick ? 1 : 0) +
      (this.#bursts.get(connectionId)?.size ?? 0) +
      (this.#resumeDrops.get(connectionId)?.size ?? 0) +
      (this.#markAfter.has(connectionId) ? 1 : 0)
    )
  }

  /** True while a drop is armed for a connection that has not opened yet. */
  get nextConnectionPending(): boolean {
    return this.#nextConnection.size > 0
  }

  /** The answer to a historicalTrades request, held back when an armed hold matches it. */
  answer(symbol: string, fromId: number, answer: () => RestResponse): RestResponse | Promise<RestResponse> {
    const hold = this.holds.find((h) => h.state === 'armed' && h.symbol === symbol && h.fromId === fromId)
    if (hold === undefined) return answer()
    hold.state = 'held'
    return new Promise((resolve) => {
      this.#releases.push(() => {
        hold.state = 'released'
        // Computed now: the answer a slow server gives is the one it has when it answers.
        resolve(answer())
      })
    })
  }

  /** Answers every held request. */
  release(): void {
    for (const release of this.#releases.splice(0)) release()
  }

  #drop(symbol: string, id: number, connectionId: number, where: DroppedTrade['where']): true {
    this.dropped.push({ symbol, id, connectionId, where })
    return true
  }
}
