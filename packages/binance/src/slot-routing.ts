/**
 * Which socket of a slot is authoritative, so a 24 h rotation has neither a
 * hole nor a duplicate.
 *
 * During a rotation the old socket ("source") keeps feeding consumers while
 * the replacement ("successor") is subscribed; the successor's messages are
 * held. Once the base has promoted the successor and the overlap has run
 * (the old socket has closed by then), the held messages are replayed
 * through the usual de-duplication (trade id, kline time, depth update id)
 * and the successor becomes the source. Frames from any other socket (a
 * retired one, a replacement that never took over) are ignored.
 */

/** How a frame from one connection is treated. */
export type Route = 'source' | 'hold' | 'ignore'

/** Routing state of one slot (one URL). Pure: the feed owns the timer. */
export class SlotRouting<M> {
  /** The connection whose messages reach consumers. */
  source: number | undefined
  /** A rotation replacement whose messages are held. */
  successor: number | undefined
  #held: M[] = []
  #promoted = false
  #sawFrame = false

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
    this.#promoted = false
    this.#sawFrame = false
    return 'replacement'
  }

  route(connectionId: number): Route {
    if (connectionId === this.source) return 'source'
    if (connectionId === this.successor) return 'hold'
    return 'ignore'
  }

  /** Keep a successor's message. Returns true when the handover can now be scheduled. */
  hold(message: M): boolean {
    this.#held.push(message)
    const first = !this.#sawFrame
    this.#sawFrame = true
    return first && this.#promoted
  }

  /** The base promoted `next` (rotation). Returns true when the handover can now be scheduled. */
  rotated(nextId: number): boolean {
    if (nextId !== this.successor) return false
    this.#promoted = true
    return this.#sawFrame
  }

  /** Make the successor the source; returns its held messages, in arrival order. */
  handover(): M[] {
    if (this.successor === undefined) return []
    this.source = this.successor
    this.successor = undefined
    const held = this.#held
    this.#held = []
    return held
  }

  /**
   * The base lost its active socket. Returns undefined when that socket fed
   * nothing here. Otherwise consumers must be told; and when a replacement
   * was already being subscribed for the lost source, the base promotes it as
   * the reconnect, so it becomes the source now and its held messages are
   * returned (`taken`) to be processed as a fresh stream.
   */
  lost(connectionId: number): { taken: M[] | undefined } | undefined {
    if (connectionId === this.source && this.successor !== undefined && !this.#promoted) {
      this.source = this.successor
      this.successor = undefined
      const held = this.#held
      this.#held = []
      return { taken: held }
    }
    if (connectionId !== this.source && connectionId !== this.successor) return undefined
    // The source without a replacement, or a promoted replacement (the old socket is retiring anyway).
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
