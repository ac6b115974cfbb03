/**
 * The seq toy adapter: a plain ws client for the venue of ./seq-toy-session.ts,
 * with enough reconnect, rotation (held replacement frames, handed over after an
 * overlap), book sync and trade continuity to pass every conformance clause.
 * Faults switch one behaviour off: the broken adapters the continuity clauses
 * must catch.
 */
import {
  checkSymbolFormat,
  checkSymbolsListed,
  msToMicros,
  nowMicros,
  parseChannels,
  statusEvent,
  TradeContinuity,
  type ExchangeAdapter,
  type Feed,
  type FeedOptions,
  type FeedStats,
  type MarketEvent,
  type ResumePoints,
  type TradeEvent,
} from '@dccd/core'
import { WebSocket } from 'ws'
import { AsyncQueue } from './async-queue.js'
import { SeqBook, type SeqBookFaults } from './seq-toy-book.js'
import type { SeqBookData, SeqMessage, SeqToyMode, SeqTradeData } from './seq-toy-session.js'

export interface SeqToyFaults extends SeqBookFaults {
  /** Mistake 5: a break in one book resyncs every book. */
  resyncClearsAll?: boolean
  /** Trades go out unchecked: no duplicate dropped, no hole noticed. */
  ignoreTradeHoles?: boolean
  /** A hole is reported as a gap one id too wide (up to the id that revealed it, which is emitted too). */
  wideTradeGap?: boolean
  /** During a rotation's overlap the replacement's trades go out as they arrive, unchecked. */
  rotationDuplicates?: boolean
  /** The feed switches to the replacement at its first frame, yet throws its held frames away at the handover. */
  rotationDropsHeld?: boolean
}

/** Options beyond FeedOptions: rotation, as transport's WebSocketOptions name it. */
interface SeqToyOptions extends FeedOptions {
  maxConnectionAgeMs?: number
  rotationOverlapMs?: number
}

export function seqToyExchange(mode: SeqToyMode, faults: SeqToyFaults = {}): ExchangeAdapter {
  const exchange: ExchangeAdapter = {
    id: 'seqtoy',
    name: 'Seq toy',
    channels: ['trades', 'book', 'bars'],
    barIntervals: ['1m'],
    exampleSymbol: 'AAA-BBB',
    createFeed(options: FeedOptions): Feed {
      parseChannels(options.channels, exchange)
      checkSymbolFormat(options.symbols, /^[A-Z]+-[A-Z]+$/, 'upper-case pair like AAA-BBB')
      return new SeqToyFeed(options as SeqToyOptions, mode, faults)
    },
  }
  return exchange
}

interface Socket {
  readonly ws: WebSocket
  /** Frames of a rotation's replacement, kept until it takes over. */
  held: string[] | undefined
  /** Its frames are ignored (the rotationDropsHeld fault stops reading the old socket early). */
  muted: boolean
}

class SeqToyFeed implements Feed {
  readonly exchange = 'seqtoy'
  /** Not exercised by the clauses these toys check. */
  positions(): ResumePoints {
    return {}
  }
  readonly stats: FeedStats & { readonly queued: number }
  readonly #queue = new AsyncQueue<MarketEvent>()
  readonly #books = new Map<string, SeqBook>()
  readonly #trades: TradeContinuity
  readonly #lastTrade = new Map<string, bigint>()
  #active: Socket | undefined
  #replacement: Socket | undefined
  #timers = new Set<ReturnType<typeof setTimeout>>()
  #stopping = false
  #attempt = 0

  constructor(
    private readonly options: SeqToyOptions,
    private readonly mode: SeqToyMode,
    private readonly faults: SeqToyFaults,
  ) {
    const queue = this.#queue
    this.stats = { frames: 0, records: 0, parseErrors: 0, reconnects: 0, get queued() { return queue.length } }
    for (const symbol of options.symbols) this.#books.set(symbol, new SeqBook(symbol, mode, faults, (s) => this.#askSnapshot(s)))
    this.#trades = new TradeContinuity({
      exchange: 'seqtoy',
      maxRecoveredTrades: 1000,
      unrecoveredReason: 'trades missed',
      history: { name: 'GET /trades', fetch: (hole, signal) => this.#tradeHistory(hole.symbol, hole.fromId, hole.toId, signal) },
      emit: (event) => this.#queue.push(event),
    })
  }

  stream(): AsyncIterableIterator<MarketEvent> {
    void this.#start()
    const queue = this.#queue
    const stats = this.stats
    return {
      next: async () => {
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

  async stop(): Promise<void> {
    this.#stopping = true
    this.#queue.end()
    this.#trades.stop()
    for (const timer of this.#timers) clearTimeout(timer)
    await Promise.all([this.#active, this.#replacement].map((socket) => socket !== undefined && closed(socket.ws)))
  }

  async #start(): Promise<void> {
    if (this.options.validateSymbols === true) {
      try {
        const listed = (await (await fetch(`${this.options.restUrl}/instruments`)).json()) as string[]
        checkSymbolsListed('seqtoy', this.options.symbols, new Set(listed))
      } catch (error) {
        this.#queue.fail(error)
        return
      }
    }
    this.#connect()
  }

  #later(ms: number, run: () => void): void {
    if (this.#stopping) return
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      if (!this.#stopping) run()
    }, ms)
    this.#timers.add(timer)
  }

  #open(onOpen: (socket: Socket) => void): Socket {
    const ws = new WebSocket(this.options.wsUrl ?? 'ws://127.0.0.1:1')
    const socket: Socket = { ws, held: undefined, muted: false }
    ws.on('error', () => {})
    ws.on('open', () => {
      ws.send(JSON.stringify({ op: 'subscribe', args: this.options.symbols.map((instId) => ({ channel: 'books', instId })) }))
      onOpen(socket)
    })
    ws.on('message', (data) => {
      this.stats.frames++
      const text = data.toString()
      if (socket.muted) return
      // The rotationDuplicates fault lets the replacement's trades through before it takes over.
      if (socket.held !== undefined && !(this.faults.rotationDuplicates && text.includes('"trades"'))) socket.held.push(text)
      else if (socket === this.#active || socket === this.#replacement) this.#onFrame(text, socket)
    })
    return socket
  }

  #connect(): void {
    let opened = false
    const socket = this.#open(() => {
      opened = true
      if (this.#attempt > 0) this.stats.reconnects++
      this.#attempt = 0
      this.#queue.push(statusEvent('seqtoy', 'connected', {}, nowMicros()))
      this.#scheduleRotation(socket)
    })
    this.#active = socket
    socket.ws.on('close', () => {
      if (this.#active !== socket || this.#stopping) return
      this.#active = undefined
      this.#replacement?.ws.terminate()
      this.#replacement = undefined
      for (const book of this.#books.values()) book.reset()
      if (opened) this.#queue.push(statusEvent('seqtoy', 'disconnected', {}, nowMicros()))
      const base = this.options.initialBackoffMs ?? 1000
      const delay = Math.min(base * (this.options.backoffFactor ?? 2) ** this.#attempt++, this.options.maxBackoffMs ?? 60_000)
      this.#later(delay, () => this.#connect())
    })
  }

  /** Opens a replacement before the socket gets old; it takes over `rotationOverlapMs` after its first frame. */
  #scheduleRotation(old: Socket): void {
    const age = this.options.maxConnectionAgeMs
    if (age === undefined || age <= 0) return
    const overlap = this.options.rotationOverlapMs ?? 100
    this.#later(Math.max(0, age - overlap), () => {
      if (this.#active !== old) return
      const replacement = this.#open(() => {})
      replacement.held = []
      this.#replacement = replacement
      replacement.ws.once('message', () => {
        if (this.faults.rotationDropsHeld) old.muted = true
        this.#later(overlap, () => this.#handOver(old, replacement))
      })
      replacement.ws.on('close', () => {
        if (this.#replacement === replacement) this.#replacement = undefined
      })
    })
  }

  #handOver(old: Socket, replacement: Socket): void {
    if (this.#active !== old || this.#replacement !== replacement) return
    this.#active = replacement
    this.#replacement = undefined
    old.ws.close()
    const held = replacement.held ?? []
    replacement.held = undefined
    if (!this.faults.rotationDropsHeld) for (const text of held) this.#onFrame(text, replacement)
    this.#scheduleRotation(replacement)
  }

  #onFrame(raw: string, socket: Socket): void {
    let message: SeqMessage
    try {
      message = JSON.parse(raw) as SeqMessage
    } catch {
      this.stats.parseErrors++
      return
    }
    if (!('arg' in message)) return
    const out: MarketEvent[] = []
    const symbol = message.arg.instId
    switch (message.arg.channel) {
      case 'books': {
        const book = this.#books.get(symbol)
        if (book === undefined) break
        const data = message.data[0] as SeqBookData
        const live = book.live
        if ((message as { action: string }).action === 'snapshot') book.onSnapshot(data, out)
        else book.onUpdate(data, out)
        if (live && !book.live && this.faults.resyncClearsAll) this.#resyncOthers(symbol, out)
        break
      }
      case 'trades':
        for (const trade of message.data as SeqTradeData[]) this.#acceptTrade(tradeEvent(symbol, trade), socket, out)
        break
      case 'candle1m': {
        const [openTime, open, high, low, close, volume, closed] = message.data[0] as [number, number, number, number, number, number, boolean]
        out.push({ type: 'bar', exchange: 'seqtoy', symbol, interval: '1m', openTime: msToMicros(openTime), open, high, low, close, volume, closed, timestamp: msToMicros(openTime), localTimestamp: nowMicros() })
        break
      }
    }
    for (const event of out) this.#queue.push(event)
  }

  #acceptTrade(trade: TradeEvent, socket: Socket, out: MarketEvent[]): void {
    if (this.faults.ignoreTradeHoles || (this.faults.rotationDuplicates && socket === this.#replacement)) {
      out.push(trade)
      return
    }
    if (!this.faults.wideTradeGap) {
      this.#trades.accept(trade, out)
      return
    }
    const id = BigInt(trade.id)
    const last = this.#lastTrade.get(trade.symbol)
    if (last !== undefined && id <= last) return
    if (last !== undefined && id > last + 1n) {
      out.push(statusEvent('seqtoy', 'gap', { symbol: trade.symbol, channel: 'trades', fromId: String(last + 1n), toId: String(id), reason: 'missed' }, nowMicros()))
    }
    this.#lastTrade.set(trade.symbol, id)
    out.push(trade)
  }

  #resyncOthers(symbol: string, out: MarketEvent[]): void {
    for (const [other, book] of this.#books) if (other !== symbol) book.resync(`${symbol} broke its chain`, out)
  }

  /** Resubscribes the book (socket venue), or fetches its snapshot (REST venue), retrying a failed fetch. */
  #askSnapshot(symbol: string): void {
    const socket = this.#active
    if (this.mode === 'resubscribe') {
      const args = [{ channel: 'books', instId: symbol }]
      socket?.ws.send(JSON.stringify({ op: 'unsubscribe', args }))
      socket?.ws.send(JSON.stringify({ op: 'subscribe', args }))
      return
    }
    void (async () => {
      const out: MarketEvent[] = []
      let outcome: 'applied' | 'stale' | 'ignored' | 'failed'
      try {
        const response = await fetch(`${this.options.restUrl}/books?instId=${symbol}`)
        outcome = response.ok ? this.#books.get(symbol)!.onRestSnapshot((await response.json()) as SeqBookData, out) : 'failed'
      } catch {
        outcome = 'failed'
      }
      for (const event of out) this.#queue.push(event)
      if (outcome === 'stale' || outcome === 'failed') this.#later(50, () => this.#askSnapshot(symbol))
    })()
  }

  async *#tradeHistory(symbol: string, fromId: number, toId: number, signal: AbortSignal): AsyncGenerator<TradeEvent[]> {
    const response = await fetch(`${this.options.restUrl}/trades?instId=${symbol}&fromId=${fromId}&toId=${toId}`, { signal })
    if (!response.ok) throw new Error(`GET /trades answered ${response.status}`)
    yield ((await response.json()) as SeqTradeData[]).map((trade) => tradeEvent(symbol, trade))
  }
}

function tradeEvent(symbol: string, trade: SeqTradeData): TradeEvent {
  return { type: 'trade', exchange: 'seqtoy', symbol, id: trade.tradeId, price: trade.px, amount: trade.sz, side: trade.side, timestamp: msToMicros(trade.ts), localTimestamp: nowMicros() }
}

function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve()
  return new Promise((resolve) => {
    ws.once('close', () => resolve())
    ws.close()
    setTimeout(() => ws.terminate(), 500).unref()
  })
}
