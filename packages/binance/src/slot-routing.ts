/**
 * Which socket of a slot is authoritative, so a 24 h rotation has neither a
 * hole nor a duplicate.
 *
 * During a rotation the old socket ("source") keeps feeding consumers while
 * the replacement ("successor") is subscribed and overlaps it; the
 * successor's messages are held. When the base reports the rotation complete
 * (the old socket has closed, its last frame already parsed), the held
 * messages are replayed through the usual de-duplication (trade id, kline
 * time, depth update id) and the successor becomes the source. Frames from
 * any other socket are ignored.
 */

/** How a frame from one connection is treated. */
export type Route = 'source' | 'hold' | 'ignore'

/** Routing state of one slot (one URL). Pure: the feed reacts to the base's hooks. */
export class SlotRouting<M> {
  /** The connection whose messages reach consumers. */
  source: number | undefined
  /** A rotation replacement whose messages are held. */
  successor: number | undefined
  #held: M[] = []

  /**
   * A socket is ready. Returns `'fresh'` for a first connect or reconnect
   * (markers and book syncs follow), `'replacement'` for a rotation.
   */
  connected(connectionId: number): 'fresh' | 'replacement' {
    if (this.source === undefined) {
      this.source = connectionId
      return 'fresh'
    }
    this.successor = connectionId
    this.#held = []
    return 'replacement'
  }

  route(connectionId: number): Route {
    if (connectionId === this.source) return 'source'
    if (connectionId === this.successor) return 'hold'
    return 'ignore'
  }

  /** Keep a successor's message until the handover. */
  hold(message: M): void {
    this.#held.push(message)
  }

  /** True when `connectionId` is a source that a replacement is taking over from (its notices no longer matter). */
  isBeingReplaced(connectionId: number): boolean {
    return connectionId === this.source && this.successor !== undefined
  }

  /**
   * The rotation to `nextId` completed: the successor becomes the source and
   * its held messages are returned, in arrival order. Undefined when `nextId`
   * is not this slot's successor (nothing to hand over).
   */
  complete(nextId: number): M[] | undefined {
    if (nextId !== this.successor) return undefined
    this.source = this.successor
    this.successor = undefined
    const held = this.#held
    this.#held = []
    return held
  }

  /** A replacement died before it took over: forget it and what it delivered. */
  replacementFailed(connectionId: number): void {
    if (connectionId !== this.successor) return
    this.successor = undefined
    this.#held = []
  }

  /**
   * The base lost a socket. Returns undefined when that socket fed nothing
   * here. Otherwise consumers must be told; and when a replacement was being
   * subscribed for the lost source, the base promotes it as the reconnect, so
   * it becomes the source now and its held messages are returned (`taken`)
   * to be processed as a fresh stream.
   */
  lost(connectionId: number): { taken: M[] | undefined } | undefined {
    if (connectionId === this.source && this.successor !== undefined) {
      this.source = this.successor
      this.successor = undefined
      const held = this.#held
      this.#held = []
      return { taken: held }
    }
    if (connectionId !== this.source && connectionId !== this.successor) return undefined
    // The source without a replacement, or a replacement lost during the overlap (the base closes the old socket with it).
    this.source = undefined
    this.successor = undefined
    this.#held = []
    return { taken: undefined }
  }

  /** Messages currently held. */
  get heldCount(): number {
    return this.#held.length
  }
}
