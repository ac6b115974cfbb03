/** A minimal unbounded async queue for the toy adapter (the real one lives in @dccd/transport). */
export class AsyncQueue<T> {
  readonly #items: T[] = []
  readonly #waiting: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = []
  #ended = false
  #error: unknown

  /** Items waiting for a reader. */
  get length(): number {
    return this.#items.length
  }

  push(item: T): void {
    if (this.#ended) return
    const waiter = this.#waiting.shift()
    if (waiter) waiter.resolve({ value: item, done: false })
    else this.#items.push(item)
  }

  end(): void {
    this.#ended = true
    this.#items.length = 0
    for (const waiter of this.#waiting.splice(0)) waiter.resolve({ value: undefined, done: true })
  }

  fail(error: unknown): void {
    this.#error = error
    this.#ended = true
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error)
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#items.length > 0) return Promise.resolve({ value: this.#items.shift()!, done: false })
    if (this.#error !== undefined) {
      const error = this.#error
      this.#error = undefined
      return Promise.reject(error)
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }))
  }
}
