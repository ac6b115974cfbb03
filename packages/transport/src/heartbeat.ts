/**
 * Liveness probe for one socket, independent of market activity: every
 * `intervalMs` a heartbeat goes out; if nothing at all (pong or any frame)
 * arrives within `timeoutMs` after it, the socket is declared stale. A quiet
 * market therefore never looks dead, and a stalled-but-open connection is
 * caught within about `intervalMs + timeoutMs`.
 */

/** Settings for {@link Heartbeat}. */
export interface HeartbeatOptions {
  /** Send a heartbeat this often, ms. 0 turns the heartbeat off. */
  intervalMs: number
  /** Declare the socket stale when nothing arrived this long after a heartbeat, ms. */
  timeoutMs: number
  /** Sends the probe (a ping frame, or an application ping). */
  send: () => void
  /** Called once when the socket is stale. */
  onStale: () => void
}

/**
 * One timer per socket. Activity is a counter bump (`touch()`), so the hot
 * path (every frame) costs no timer work and no clock read.
 */
export class Heartbeat {
  private timer: ReturnType<typeof setTimeout> | undefined
  private activity = 0
  private activityAtProbe = 0
  private running = false

  constructor(private readonly options: HeartbeatOptions) {}

  /** Start (or restart after `stop()`) the cycle: first heartbeat after `intervalMs`. */
  start(): void {
    if (this.options.intervalMs <= 0) return
    this.running = true
    this.schedule(this.probe, this.options.intervalMs)
  }

  /** Something arrived from the peer (a frame or a pong). */
  touch(): void {
    this.activity++
  }

  /** Stop all timers (socket closed, or reading paused so pongs cannot be seen). */
  stop(): void {
    this.running = false
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private readonly probe = (): void => {
    if (!this.running) return
    this.activityAtProbe = this.activity
    try {
      this.options.send()
    } catch {
      // A failed send shows up as missing activity; the timeout decides.
    }
    this.schedule(this.check, this.options.timeoutMs)
  }

  private readonly check = (): void => {
    if (!this.running) return
    if (this.activity === this.activityAtProbe) {
      this.stop()
      this.options.onStale()
      return
    }
    // Keep the probe rhythm: the next heartbeat is due intervalMs after the last one
    // (right now when the timeout is as long as the interval or longer).
    const wait = this.options.intervalMs - this.options.timeoutMs
    if (wait > 0) this.schedule(this.probe, wait)
    else this.probe()
  }

  private schedule(fn: () => void, ms: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = setTimeout(fn, ms)
    this.timer.unref?.()
  }
}
