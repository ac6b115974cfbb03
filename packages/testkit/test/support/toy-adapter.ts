/**
 * A minimal adapter for the toy protocol over a plain ws client: enough reconnect, status
 * and stop logic to pass every conformance clause. Faults switch one behaviour off, making
 * the deliberately broken adapters the suite must catch.
 */
import {
  checkSymbolFormat,
  checkSymbolsListed,
  msToMicros,
  nowMicros,
  parseChannels,
  type ExchangeAdapter,
  type Feed,
  type FeedOptions,
  type FeedStats,
  type MarketEvent,
  type ResumePoints,
} from '@dccd/core'
import { WebSocket } from 'ws'
import { AsyncQueue } from './async-queue.js'

export interface ToyFaults {
  /** Pass book deltas through before the symbol's snapshot. */
  deltasBeforeSnapshot?: boolean
  /** Emit exchange timestamps in milliseconds. */
  millisecondTimestamps?: boolean
  /** Emit no connected/disconnected status. */
  noStatusOnReconnect?: boolean
  /** stop() ends the stream but leaves the socket open. */
  leaveSocketOpen?: boolean
  /** A frame that is not JSON ends the stream with the parse error. */
  throwOnMalformed?: boolean
  /** createFeed does not validate channels (they fail later, after connecting). */
  lazyChannelCheck?: boolean
  /** Trade sides come through as the wire's 'b'/'s'. */
  wireSides?: boolean
  /** validateSymbols is ignored. */
  skipSymbolCheck?: boolean
  /** stop() is ignored while a reconnect is pending. */
  stopIgnoresBackoff?: boolean
  /** Not a fault: records reach the consumer a macrotask after they were queued (a busy consumer side). */
  lateRecords?: boolean
  /** Not a fault: `stats` has no `queued` count. */
  hideQueued?: boolean
}

export function toyExchange(faults: ToyFaults = {}, channels: ExchangeAdapter['channels'] = ['trades', 'book', 'bars']): ExchangeAdapter {
  const exchange: ExchangeAdapter = {
    id: 'toy',
    name: 'Toy',
    channels,
    barIntervals: ['1m', '1h'],
    exampleSymbol: 'AAA-BBB',
    createFeed(options: FeedOptions): Feed {
      if (!faults.lazyChannelCheck) parseChannels(options.channels, exchange)
      checkSymbolFormat(options.symbols, /^[A-Z]+-[A-Z]+$/, 'upper-case pair like AAA-BBB')
      return new ToyFeed(options, faults)
    },
  }
  return exchange
}

class ToyFeed implements Feed {
  readonly exchange = 'toy'
  /** Not exercised by the clauses these toys check. */
  positions(): ResumePoints {
    return {}
  }
  readonly stats: FeedStats
  readonly #queue = new AsyncQueue<MarketEvent>()
  readonly #snapshotted = new Set<string>()
  #ws: WebSocket | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopping = false
  #attempt = 0

  constructor(
    private readonly options: FeedOptions,
    private readonly faults: ToyFaults,
  ) {
    const queue = this.#queue
    this.stats = { frames: 0, records: 0, parseErrors: 0, reconnects: 0 }
    if (!faults.hideQueued) Object.defineProperty(this.stats, 'queued', { get: () => queue.length, enumerable: true })
  }

  stream(): AsyncIterableIterator<MarketEvent> {
    void this.#start()
    const queue = this.#queue
    const stats = this.stats
    return {
      next: async () => {
        if (this.faults.lateRecords) await new Promise((resolve) => setImmediate(resolve))
        const result = await queue.next()
        if (result.done !== true) stats.records++
        return result
      },
      return: async () => {
        await this.stop()
        return { value: undefined, done: true }
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  stop(): Promise<void> {
    this.#stopping = true
    this.#queue.end()
    if (this.#timer !== undefined && this.faults.stopIgnoresBackoff) return new Promise(() => {})
    clearTimeout(this.#timer)
    const ws = this.#ws
    if (ws === undefined || this.faults.leaveSocketOpen || ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      ws.once('close', () => resolve())
      ws.close()
      setTimeout(() => ws.terminate(), this.options.closeTimeoutMs ?? 1000).unref()
    })
  }

  async #start(): Promise<void> {
    if (this.options.validateSymbols === true && !this.faults.skipSymbolCheck) {
      try {
        const listed = (await (await fetch(`${this.options.restUrl}/symbols`)).json()) as string[]
        checkSymbolsListed('toy', this.options.symbols, new Set(listed))
      } catch (error) {
        this.#queue.fail(error)
        return
      }
    }
    if (this.faults.lazyChannelCheck) {
      this.#connect()
      try {
        parseChannels(this.options.channels, { id: 'toy', channels: ['trades', 'book', 'bars'], barIntervals: ['1m'] })
      } catch (error) {
        this.#queue.fail(error)
      }
      return
    }
    this.#connect()
  }

  #connect(): void {
    if (this.#stopping) return
    const ws = new WebSocket(this.options.wsUrl ?? 'ws://127.0.0.1:1')
    this.#ws = ws
    let opened = false
    ws.on('open', () => {
      opened = true
      if (this.#attempt > 0) this.stats.reconnects++
      this.#attempt = 0
      ws.send(JSON.stringify({ op: 'subscribe', symbols: this.options.symbols, channels: this.options.channels }))
      this.#status('connected')
    })
    ws.on('message', (data) => this.#onFrame(data.toString()))
    ws.on('error', () => {})
    ws.on('close', () => {
      if (this.#ws !== ws || this.#stopping) return
      this.#ws = undefined
      this.#snapshotted.clear()
      if (opened) this.#status('disconnected')
      const base = this.options.initialBackoffMs ?? 1000
      const delay = Math.min(base * (this.options.backoffFactor ?? 2) ** this.#attempt++, this.options.maxBackoffMs ?? 60_000)
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.#connect()
      }, delay)
    })
  }

  #status(status: 'connected' | 'disconnected'): void {
    if (!this.faults.noStatusOnReconnect) this.#queue.push({ type: 'status', exchange: 'toy', status, localTimestamp: nowMicros() })
  }

  #onFrame(raw: string): void {
    this.stats.frames++
    let frame: Record<string, unknown>
    try {
      frame = JSON.parse(raw) as Record<string, unknown>
    } catch (error) {
      if (this.faults.throwOnMalformed) this.#queue.fail(error)
      else this.stats.parseErrors++
      return
    }
    const localTimestamp = nowMicros()
    const timestamp = this.faults.millisecondTimestamps ? (frame.ts as number) : msToMicros(frame.ts as number)
    const base = { exchange: 'toy', symbol: frame.s as string, timestamp, localTimestamp }
    const levels = (raw: unknown) => (raw as number[][]).map(([price, amount]) => ({ price: price!, amount: amount! }))
    switch (frame.kind) {
      case 'trade':
        return this.#queue.push({
          type: 'trade', ...base, id: String(frame.id), price: frame.p as number, amount: frame.q as number,
          side: this.faults.wireSides ? (frame.side as 'buy') : frame.side === 'b' ? 'buy' : 'sell',
        })
      case 'book': {
        if (frame.snapshot === true) this.#snapshotted.add(base.symbol)
        else if (!this.#snapshotted.has(base.symbol) && !this.faults.deltasBeforeSnapshot) return
        return this.#queue.push({ type: 'book', ...base, isSnapshot: frame.snapshot === true, bids: levels(frame.b), asks: levels(frame.a) })
      }
      case 'bar':
        return this.#queue.push({
          type: 'bar', ...base, interval: frame.i as string, openTime: msToMicros(frame.t as number),
          open: frame.o as number, high: frame.h as number, low: frame.l as number, close: frame.c as number,
          volume: frame.v as number, closed: frame.x as boolean,
        })
    }
  }
}
