/**
 * What the bench tells a contestant (`ContestantSpec`) and what the
 * contestant reports back (`ContestantRun`), across the process boundary as
 * JSON.
 */
import type { E2eExchange, FlatBook, SymbolTally } from '../session.js'

/** The end-to-end section's contestants, in report order. `hand-written-crc` is Kraken only. */
export const CONTESTANTS = ['bare', 'hand-written', 'hand-written-crc', 'dccd', 'dccd-batches', 'dccd-books'] as const
export type E2eContestantName = (typeof CONTESTANTS)[number]

/** The recorder section's contestants (Binance), in report order: two floors, then dccd recording. */
export const RECORDER_CONTESTANTS = ['bare', 'journal-lines', 'dccd-recorder'] as const
export type ContestantName = E2eContestantName | (typeof RECORDER_CONTESTANTS)[number]

export interface ContestantSpec {
  readonly contestant: ContestantName
  readonly exchange: E2eExchange
  /** The server's base URLs: `ws://127.0.0.1:PORT`, `http://127.0.0.1:PORT`. */
  readonly wsUrl: string
  readonly restUrl: string
  readonly symbols: readonly string[]
  /** Data frames the server sends: the clients that read frames stop at this many. */
  readonly frames: number
  /** Book plus trade events the frames make: the clients that read events stop at this many. */
  readonly events: number
}

/** One contestant's run, as measured and counted by the contestant itself. */
export interface ContestantRun {
  /** From the first data frame or event the client saw to the last, ms. */
  readonly elapsedMs: number
  /** Data frames read (clients that read frames). */
  readonly frames?: number
  /** Per symbol, what the client counted (all but the bare client). */
  readonly perSymbol?: Record<string, SymbolTally>
  /** The books the client kept, at the end (clients that keep books). */
  readonly books?: Record<string, FlatBook>
  /** What a recording client sealed (the dccd recorder). */
  readonly recorded?: { readonly rowsSealed: number; readonly filesSealed: number }
  /** The contestant process over the whole run (connect to last item, and the recorder's close): set by ../contestant.ts. */
  readonly resources?: Resources
  /** What went wrong as the client saw it: status events other than `connected`, id gaps, checksum mismatches, a stall. */
  readonly problems: string[]
}

/** CPU and memory of one contestant process. */
export interface Resources {
  /** User + system CPU time over the run, ms (every thread of the process). */
  readonly cpuMs: number
  /** Peak resident set size of the process, MiB. */
  readonly maxRssMiB: number
}

/** Items (frames or events) taken so far: the contestant process watches it to report a stall instead of hanging. */
export interface Progress {
  items: number
  /** What the run has counted so far, for the stall report. */
  describe?: () => string
}

/** A trade's id against the one before it for its symbol: ids are consecutive per symbol on both exchanges. */
export function tallyTrade(tally: SymbolTally, id: number, problems: string[], symbol: string): void {
  if (tally.lastTradeId !== -1 && id !== tally.lastTradeId + 1) problems.push(`${symbol}: trade id ${id} after ${tally.lastTradeId}`)
  tally.trades++
  tally.lastTradeId = id
}
