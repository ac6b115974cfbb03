/**
 * The OKX v5 capture (2022-05-13: BTC-USDT spot and the BTC-USD-220527
 * future, `books` at 400 levels and `trades`) looped into a session of any
 * length, in the form OKX sends `books` today:
 *
 * - Books: the capture predates `seqId`/`prevSeqId` and carries real
 *   checksums. Here every push gets a sequence as OKX numbers it now: the
 *   snapshot `prevSeqId` -1, each update `prevSeqId` = the previous `seqId`
 *   and a `seqId` that grows by 1 + its levels (OKX's grow, not by one). The
 *   chain simply continues across loops. `checksum` is 0 ("not sent",
 *   OKX's deprecated field as it is today): the looped books differ from the
 *   captured ones, so the captured checksums would no longer hold, and dccd
 *   then checks the `seqId` chain alone.
 * - Trades: `tradeId` continues per instrument across loops, each row's id
 *   the previous one's plus its fills (`count`; the 2022 rows have none, so
 *   one each): exactly the numbering under which dccd's feed never calls
 *   `history-trades`.
 *
 * Flood: the two book snapshots, then the loop body: every `books` update
 * and every `trades` push in capture order (the 27 `tickers` pushes left out:
 * a `trades` + `book` feed does not subscribe to them). The subscribe acks are
 * answers the server gives (./okx-venue.ts).
 */
import { loadCapture } from '../fixtures.js'
import { ReferenceBooks, type WireLevel } from './reference-books.js'
import { emptyTallies, type E2eSession } from './session.js'

interface OkxArg {
  readonly channel: string
  readonly instId: string
}

interface OkxPush {
  readonly arg: OkxArg
  readonly action?: 'snapshot' | 'update'
  readonly data: readonly Record<string, unknown>[]
}

interface OkxBookRow {
  readonly bids: readonly WireLevel[]
  readonly asks: readonly WireLevel[]
}

interface OkxTradeRow {
  readonly tradeId: string
  readonly count?: string
}

/** An OKX session plus the subscriptions its venue expects. */
export interface OkxE2eSession extends E2eSession {
  /** What a client must subscribe to on `/ws/v5/public`: `books` and `trades` per instrument. */
  readonly args: readonly OkxArg[]
}

/** The first instrument's first `seqId`; the n-th instrument's starts n × 10⁹ higher. */
const FIRST_SEQ_ID = 10_000_000_000

/** `frameCount` data frames: the snapshots, then the loop body played until they are made. */
export function okxLoopSession(frameCount: number): OkxE2eSession {
  const pushes = loadCapture('okx-v5-2022-05-13')
    .filter((line) => line.dir === 'in')
    .map((line) => line.data as OkxPush & { event?: string })
    .filter((m) => m.event === undefined && (m.arg.channel === 'books' || m.arg.channel === 'trades'))
  const snapshots = pushes.filter((m) => m.action === 'snapshot')
  const body = pushes.filter((m) => m.action !== 'snapshot')
  const symbols = snapshots.map((m) => m.arg.instId)
  for (const m of body) {
    const row = m.data[0] as unknown as OkxBookRow
    // OKX's no-change update (dccd does not emit it) would need counting apart; the capture has none.
    if (m.arg.channel === 'books' && row.bids.length + row.asks.length === 0) throw new Error('OKX capture: an empty books update')
  }
  const seqIds = new Map(symbols.map((symbol, n) => [symbol, FIRST_SEQ_ID + n * 1_000_000_000]))
  /** Per instrument, the last fill id sent: the first row's id less its fills to begin with. */
  const lastFill = new Map<string, number>()
  for (const m of body) {
    if (m.arg.channel !== 'trades' || lastFill.has(m.arg.instId)) continue
    const row = m.data[0] as unknown as OkxTradeRow
    lastFill.set(m.arg.instId, Number(row.tradeId) - fills(row))
  }
  const books = new ReferenceBooks(symbols)
  const perSymbol = emptyTallies(symbols)
  const mix = { book: 0, trade: 0, other: 0 }
  const frames: string[] = []
  const book = (m: OkxPush): string => {
    const symbol = m.arg.instId
    const row = m.data[0] as unknown as OkxBookRow
    const isSnapshot = m.action === 'snapshot'
    const last = seqIds.get(symbol)!
    const prevSeqId = isSnapshot ? -1 : last
    const seqId = isSnapshot ? last : last + 1 + row.bids.length + row.asks.length
    seqIds.set(symbol, seqId)
    books.apply(symbol, isSnapshot, row.bids, row.asks)
    perSymbol[symbol]!.bookEvents++
    mix.book++
    return JSON.stringify({ ...m, data: [{ ...row, checksum: 0, prevSeqId, seqId }] })
  }
  for (const m of snapshots) if (frames.length < frameCount) frames.push(book(m))
  for (let i = 0; frames.length < frameCount; i++) {
    const m = body[i % body.length]!
    if (m.arg.channel === 'books') {
      frames.push(book(m))
      continue
    }
    const symbol = m.arg.instId
    const tally = perSymbol[symbol]!
    const rows = (m.data as unknown as OkxTradeRow[]).map((row) => {
      const id = lastFill.get(symbol)! + fills(row)
      lastFill.set(symbol, id)
      tally.trades++
      tally.lastTradeId = id
      return { ...row, tradeId: String(id) }
    })
    frames.push(JSON.stringify({ ...m, data: rows }))
    mix.trade++
  }
  return {
    frames,
    args: symbols.flatMap((instId) => [
      { channel: 'books', instId },
      { channel: 'trades', instId },
    ]),
    expected: {
      exchange: 'okx',
      symbols,
      frames: frames.length,
      mix,
      loops: Math.ceil(Math.max(0, frameCount - snapshots.length) / body.length),
      perSymbol,
      books: books.dump(),
    },
  }
}

/** The fills a `trades` row stands for (`count`; absent on rows of one). */
const fills = (row: OkxTradeRow): number => Number(row.count ?? 1)
