/**
 * The single-consumer async queue between sockets and the consumer of
 * `stream()`. It never drops: when it reaches its high-water mark it asks the
 * producer to pause (the sockets stop reading, so TCP flow control pushes back
 * on the server) and asks it to resume once the consumer drained it to the
 * low-water mark.
 */

/** Settings for {@link BoundedQueue}. */
export interface BoundedQueueOptions {
  /** Pause the producer when this many items are queued. */
  highWaterMark: number
  /** Resume the producer once the queue is back down to this many. Default `floor(highWaterMark / 2)`. */
  lowWaterMark?: number
  /** Called when the queue reaches the high-water mark. */
  onPause?: () => void
  /** Called when a paused queue has drained to the low-water mark. */
  onResume?: () => void
  /** Called with each item as it is handed to the consumer (what the consumer has, not what is queued). */
  onTake?: (item: unknown) => void
}

interface Waiter<T> {
  resolve: (result: IteratorResult<T>) => void
  reject: (error: unknown) => void
}

const DONE: IteratorResult<never> = Object.freeze({ done: true, value: undefined })

/**
 * FIFO with pause/resume water marks and an async `next()`.
 *
 * @example
 * const queue = new BoundedQueue<string>({ highWaterMark: 100, onPause: pauseSockets, onResume: resumeSockets })
 * queue.push('a')
 * await queue.next() // { done: false, value: 'a' }
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[] = []
  private head = 0
  private waiters: Waiter<T>[] = []
  /** Consumers of `nextBatch()` waiting while the queue was empty. */
  private batchWaiters: Waiter<T[]>[] = []
  /** True while a microtask is due to hand what was pushed meanwhile to the first batch waiter. */
  private batchDue = false
  private ended = false
  private error: { value: unknown } | undefined
  private readonly lowWaterMark: number
  /** True while the producer has been asked to pause. */
  paused = false
  /** Highest length ever reached. */
  peak = 0
  /** Items handed to the consumer so far. */
  delivered = 0

  constructor(private readonly options: BoundedQueueOptions) {
    this.lowWaterMark = options.lowWaterMark ?? Math.floor(options.highWaterMark / 2)
  }

  /** Items waiting for the consumer. */
  get length(): number {
    return this.items.length - this.head
  }

  /** True once `end()` or `fail()` was called. */
  get closed(): boolean {
    return this.ended
  }

  /** Adds an item (hands it straight to a waiting consumer if there is one). Ignored after `end()`. */
  push(item: T): void {
    if (this.ended) return
    const waiter = this.waiters.shift()
    if (waiter !== undefined) {
      this.delivered++
      this.options.onTake?.(item)
      waiter.resolve({ done: false, value: item })
      return
    }
    this.items.push(item)
    if (this.batchWaiters.length > 0 && !this.batchDue) {
      // A batch consumer waits: it gets everything pushed until the producer's turn ends (all the frames
      // of one socket read), not the first item alone, so one promise carries the whole read.
      this.batchDue = true
      queueMicrotask(this.flushBatch)
    }
    const length = this.items.length - this.head
    if (length > this.peak) this.peak = length
    if (!this.paused && length >= this.options.highWaterMark) {
      this.paused = true
      this.options.onPause?.()
    }
  }

  /** The next item; waits while empty; `done` once ended and drained; rejects after `fail()` once drained. */
  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) return Promise.resolve({ done: false, value: this.shift() })
    if (this.error !== undefined) {
      const { value } = this.error
      this.error = undefined // report the failure once, then behave as ended
      return Promise.reject(value)
    }
    if (this.ended) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  /**
   * Everything queued, as one array (one promise for all of it). While empty
   * it waits, then resolves with everything pushed until the producer's turn
   * ends (a microtask after the first push): the frames of one socket read
   * make one batch. `done` and errors as {@link next}.
   */
  nextBatch(): Promise<IteratorResult<T[]>> {
    if (this.head < this.items.length) return Promise.resolve({ done: false, value: this.shiftAll() })
    if (this.error !== undefined) {
      const { value } = this.error
      this.error = undefined
      return Promise.reject(value)
    }
    if (this.ended) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => this.batchWaiters.push({ resolve, reject }))
  }

  /** No more items will come: consumers get what is queued, then `done`. */
  end(): void {
    if (this.ended) return
    this.ended = true
    this.settleWaiters()
  }

  /** Like `end()`, but after the queued items the consumer's `next()` rejects with `error`. */
  fail(error: unknown): void {
    if (this.ended) return
    this.ended = true
    this.error = { value: error }
    this.settleWaiters()
  }

  /** Drops everything queued (after the consumer left). */
  clear(): void {
    this.items = []
    this.head = 0
  }

  private shift(): T {
    const item = this.items[this.head] as T
    this.items[this.head] = undefined
    this.head++
    this.delivered++
    this.options.onTake?.(item)
    const length = this.items.length - this.head
    if (length === 0) {
      this.items.length = 0
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      // Compact occasionally so a long-lived queue does not keep a dead prefix alive.
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    if (this.paused && length <= this.lowWaterMark) {
      this.paused = false
      this.options.onResume?.()
    }
    return item
  }

  private shiftAll(): T[] {
    const batch = (this.head === 0 ? this.items : this.items.slice(this.head)) as T[]
    this.items = []
    this.head = 0
    this.delivered += batch.length
    const onTake = this.options.onTake
    if (onTake !== undefined) for (let i = 0; i < batch.length; i++) onTake(batch[i])
    if (this.paused) {
      this.paused = false
      this.options.onResume?.()
    }
    return batch
  }

  private readonly flushBatch = (): void => {
    this.batchDue = false
    if (this.head === this.items.length) return // settled by end() or fail() meanwhile
    const waiter = this.batchWaiters.shift()
    if (waiter !== undefined) waiter.resolve({ done: false, value: this.shiftAll() })
  }

  private settleWaiters(): void {
    // A batch consumer may be waiting with items pushed in this turn: those first (end() keeps them
    // for the consumer, fail() rejects only after them).
    const batchWaiters = this.batchWaiters
    this.batchWaiters = []
    for (const waiter of batchWaiters) {
      if (this.head < this.items.length) waiter.resolve({ done: false, value: this.shiftAll() })
      else this.settle(waiter)
    }
    // Waiters exist only while the queue is empty, so they get the end (or the error) right away.
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) this.settle(waiter)
  }

  /** The end, or the error once, for a waiter of an empty queue. */
  private settle(waiter: Waiter<never>): void {
    if (this.error !== undefined) {
      const { value } = this.error
      this.error = undefined
      waiter.reject(value)
    } else waiter.resolve(DONE)
  }
}
