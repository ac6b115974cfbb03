/**
 * The receive time of socket frames: one clock read per socket read. ws
 * emits every frame of one read in the same turn, synchronously; they
 * arrived together, so they share the time that read was handled. Reading
 * the clock per frame instead cost ~40 ns a frame on a busy feed (a native
 * call and a boxed double), and stamped the last frames of a large read
 * with the time spent parsing the ones before them, not with their arrival.
 */
import { nowMicros } from '@dccd/core'

/** One clock read per turn of the event loop; internal to the transport. */
export class ReadClock {
  #time = -1
  readonly #expire = (): void => {
    this.#time = -1
  }

  /** @param clock µs since the epoch (default core's `nowMicros`) */
  constructor(private readonly clock: () => number = nowMicros) {}

  /**
   * µs: the clock as first read since the microtasks last ran (for a frame,
   * the time its socket read began to be handled); the next turn reads it anew.
   */
  now(): number {
    let time = this.#time
    if (time < 0) {
      time = this.#time = this.clock()
      queueMicrotask(this.#expire)
    }
    return time
  }
}
