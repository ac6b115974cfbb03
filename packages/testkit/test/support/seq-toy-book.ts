/**
 * One symbol's book for the seq toy: emits nothing before a snapshot, then only
 * updates whose `prevSeqId` is the last `seqId` applied; on a break, `resync`
 * and a fresh snapshot (asked for through `ask`). Faults switch one rule off,
 * making the broken adapters the continuity clauses must catch.
 */
import { nowMicros, statusEvent, type MarketEvent } from '@dccd/core'
import type { Level, SeqBookData, SeqToyMode } from './seq-toy-session.js'

export interface SeqBookFaults {
  /** Mistake 1: deltas go out while the book waits for its snapshot. */
  deltasWhileWaiting?: boolean
  /** Mistake 2: `prevSeqId` is never checked; any newer update is applied. */
  ignoreSeqGaps?: boolean
  /** Mistake 3: a break is reported (`resync`), but no snapshot is ever asked for again. */
  resyncWithoutRefetch?: boolean
  /** Mistake 4: the wrong rule, `seqId == last seqId + 1` (seq ids here grow by 1 + levels). */
  offByOneSeq?: boolean
}

type State = 'idle' | 'waiting' | 'live' | 'abandoned'

const levels = (raw: readonly Level[]) => raw.map(([price, amount]) => ({ price, amount }))

export class SeqBook {
  #state: State = 'idle'
  #seqId = 0
  #buffer: SeqBookData[] = []

  constructor(
    readonly symbol: string,
    private readonly mode: SeqToyMode,
    private readonly faults: SeqBookFaults,
    /** Asks the venue for a fresh snapshot: resubscribes (socket) or fetches it (REST). */
    private readonly ask: (symbol: string) => void,
  ) {}

  get live(): boolean {
    return this.#state === 'live'
  }

  /** A snapshot on the socket (resubscribe venues). A live book keeps its chain (a rotation's replacement resends nothing new). */
  onSnapshot(data: SeqBookData, out: MarketEvent[]): void {
    if (this.#state === 'live' || this.#state === 'abandoned') return
    this.#goLive(data, out)
  }

  /** A snapshot fetched over REST (rest-snapshot venues): emitted with every buffered update it proves. */
  onRestSnapshot(data: SeqBookData, out: MarketEvent[]): 'applied' | 'stale' | 'ignored' {
    if (this.#state !== 'waiting') return 'ignored'
    const first = this.#buffer[0]
    if (first !== undefined && data.seqId < first.prevSeqId) return 'stale'
    const buffered = this.#buffer
    this.#buffer = []
    this.#goLive(data, out)
    for (const update of buffered) this.onUpdate(update, out)
    return 'applied'
  }

  onUpdate(data: SeqBookData, out: MarketEvent[]): void {
    if (this.#state === 'abandoned') return
    if (this.#state !== 'live') {
      if (this.faults.deltasWhileWaiting) out.push(this.#event(false, data))
      if (this.mode === 'resubscribe') return
      this.#buffer.push(data)
      if (this.#state === 'idle') this.#askAgain()
      return
    }
    if (data.seqId <= this.#seqId) return // already applied (a rotation overlap)
    const broken = this.faults.offByOneSeq ? data.seqId !== this.#seqId + 1 : data.prevSeqId !== this.#seqId
    if (broken && !this.faults.ignoreSeqGaps) {
      this.resync(`seqId gap: prevSeqId ${data.prevSeqId} after ${this.#seqId}`, out)
      if (this.mode === 'rest-snapshot' && (this.#state as State) === 'waiting') this.#buffer = [data]
      return
    }
    this.#seqId = data.seqId
    out.push(this.#event(false, data))
  }

  /** Reports a break of this book and asks for a fresh snapshot (unless the fault forgets to). */
  resync(reason: string, out: MarketEvent[]): void {
    out.push(statusEvent('seqtoy', 'resync', { symbol: this.symbol, channel: 'book', reason }, nowMicros()))
    this.#buffer = []
    if (this.faults.resyncWithoutRefetch) {
      this.#state = 'abandoned'
      return
    }
    this.#askAgain()
  }

  /** The stream was lost: everything restarts from the next snapshot. */
  reset(): void {
    this.#state = 'idle'
    this.#buffer = []
  }

  #askAgain(): void {
    this.#state = 'waiting'
    this.ask(this.symbol)
  }

  #goLive(data: SeqBookData, out: MarketEvent[]): void {
    this.#state = 'live'
    this.#seqId = data.seqId
    out.push(this.#event(true, data))
  }

  #event(isSnapshot: boolean, data: SeqBookData): MarketEvent {
    const timestamp = data.ts * 1000
    return { type: 'book', exchange: 'seqtoy', symbol: this.symbol, isSnapshot, bids: levels(data.bids), asks: levels(data.asks), timestamp, localTimestamp: nowMicros() }
  }
}
