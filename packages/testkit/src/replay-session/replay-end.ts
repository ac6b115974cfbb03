/**
 * When a replay is over: every captured frame is out and read by the feed,
 * nothing is queued, and the feed has stayed quiet a little while (a REST
 * answer served from the capture is still parsed after the last frame is counted).
 */
import type { Feed } from '@dccd/core'
import type { ConnectionRouter } from './connection-router.js'

/** Checks this often, ms. */
const POLL_MS = 10
/** Quiet checks in a row (all frames read, nothing queued, nothing new) that end a replay. */
const QUIET_CHECKS = 5
/** Quiet checks in a row that end it while captured sockets were never opened (the client asked for less). */
const QUIET_CHECKS_UNUSED = 50

/** @internal Resolves `ended` once the replay is over; `activity()` restarts the quiet count. */
export class ReplayEnd {
  readonly ended: Promise<void>
  #quiet = 0
  #last = ''
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly router: ConnectionRouter,
    private readonly feed: () => Feed | undefined,
    private readonly restRequests: () => number,
  ) {
    this.ended = new Promise((resolve) => {
      const check = (): void => {
        if (this.#settled()) this.#quiet++
        else this.#quiet = 0
        if (this.#quiet >= (this.router.unused > 0 ? QUIET_CHECKS_UNUSED : QUIET_CHECKS)) return resolve()
        this.#timer = setTimeout(check, POLL_MS)
      }
      this.#timer = setTimeout(check, POLL_MS)
    })
  }

  /** An event was read: the feed is not quiet yet. */
  activity(): void {
    this.#quiet = 0
  }

  cancel(): void {
    clearTimeout(this.#timer)
  }

  #settled(): boolean {
    const feed = this.feed()
    if (feed === undefined || !this.router.allSent) return false
    const stats = feed.stats as { frames: number; records: number; queued?: unknown }
    if (stats.frames < this.router.sent || (typeof stats.queued === 'number' && stats.queued > 0)) return false
    // Anything moving (a frame counted, a record made, a REST request) starts the quiet count over.
    const now = `${stats.frames}/${stats.records}/${this.restRequests()}`
    const unchanged = now === this.#last
    this.#last = now
    return unchanged
  }
}
