/**
 * What the end-to-end server streams and what every client must end with.
 * A session is built once per server (deterministic, from the captures) and
 * every connection gets exactly its frames; the server reports `Expected` to
 * the bench, which checks each contestant's run against it.
 */

/** A book's final state: `[price, amount, …]` best first per side (the bench's dump format). */
export interface FlatBook {
  readonly bids: number[]
  readonly asks: number[]
}

/** What one symbol's stream carries, counted as a consumer of normalized events sees it. */
export interface SymbolTally {
  /** Book events: the snapshot plus one per delta (Binance: depth event; Kraken: book entry; OKX: `books` push). */
  bookEvents: number
  trades: number
  /** Id of the last trade, or -1 before any. */
  lastTradeId: number
}

/** The exchanges the end-to-end bench serves, by their dccd adapter ids (`binance-futures`: USDⓈ-M), in report order. */
export const E2E_EXCHANGES = ['binance', 'binance-futures', 'kraken', 'okx'] as const
export type E2eExchange = (typeof E2E_EXCHANGES)[number]

/** Everything a client of one session must see, and the session's mix. */
export interface Expected {
  readonly exchange: E2eExchange
  readonly symbols: readonly string[]
  /** Data frames the server floods per connection (control frames such as acks not included). */
  readonly frames: number
  /** Of those: book frames, trade frames, others (Kraken heartbeats). */
  readonly mix: { readonly book: number; readonly trade: number; readonly other: number }
  /** Times the captured sequence was played (the last one possibly in part). */
  readonly loops: number
  readonly perSymbol: Readonly<Record<string, SymbolTally>>
  /** Table rows a recorder makes of it: one per trade, one per level of every book message (snapshots too). Binance only. */
  readonly rows?: number
  /** Every level of every book at the end (the REST snapshot or book snapshot, then every delta). */
  readonly books: Readonly<Record<string, FlatBook>>
}

/** A session the server can play: the data frames, and what answers the client's requests. */
export interface E2eSession {
  readonly expected: Expected
  /** The data frames, in order, as JSON text: every connection's, when `parts` splits them. */
  readonly frames: readonly string[]
  /**
   * A venue whose streams come over several connections (Binance USDⓈ-M: depth on `/public`,
   * trades on `/market`): each connection's frames, in order, by the name its venue floods them
   * under. Absent: one connection gets all the frames.
   */
  readonly parts?: Readonly<Record<string, readonly string[]>>
}

/** A fresh zero tally per symbol. */
export function emptyTallies(symbols: readonly string[]): Record<string, SymbolTally> {
  return Object.fromEntries(symbols.map((symbol) => [symbol, { bookEvents: 0, trades: 0, lastTradeId: -1 }]))
}
