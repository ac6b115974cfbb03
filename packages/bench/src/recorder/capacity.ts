/**
 * How many busy symbols one recording process takes, from what a run
 * measured. The unit of cost is CPU time, not wall time: on a shared machine
 * the CPU a process spends per event is steadier than its wall-clock rate,
 * and it is what a deployment budgets.
 */

/**
 * A busy symbol, Binance BTCUSDT-like, with `trades` and `book`:
 * `depth@100ms` sends at most 10 diffs a second, and a busy spot pair trades
 * some tens of times a second on an ordinary day (bursts go far higher,
 * which the headroom is for). A BTCUSDT diff changes many more levels than
 * the capture's small pairs do, so the rows a second are assumed too.
 */
export const BUSY_SYMBOL = {
  /** Depth diffs a second (`@depth@100ms`: one per 100 ms at most). */
  bookEventsPerSecond: 10,
  /** Trades a second. */
  tradesPerSecond: 50,
  /** Levels one diff of a top pair changes (each is a row). */
  levelsPerBookEvent: 40,
} as const

/** Share of one core a process may spend on steady load: the rest is headroom for bursts, seals and GC. */
export const CPU_BUDGET = 0.5

/** The events and rows a second one busy symbol makes. */
export function busyLoad(busy: typeof BUSY_SYMBOL = BUSY_SYMBOL): { events: number; rows: number } {
  return {
    events: busy.bookEventsPerSecond + busy.tradesPerSecond,
    rows: busy.bookEventsPerSecond * busy.levelsPerBookEvent + busy.tradesPerSecond,
  }
}

/**
 * Busy symbols one process records within `budget` of a core, given the
 * measured CPU µs per event and per row (the run's whole CPU time divided by
 * each). The real cost is part per event, part per row; charging all of it to
 * one or the other gives two bounds, and the smaller count is the safe one
 * when the busy symbol's rows per event differ from the run's.
 */
export function busySymbolsPerProcess(cpuUsPerEvent: number, cpuUsPerRow: number, budget = CPU_BUDGET): { byEvents: number; byRows: number; symbols: number } {
  const load = busyLoad()
  const byEvents = (budget * 1e6) / (cpuUsPerEvent * load.events)
  const byRows = (budget * 1e6) / (cpuUsPerRow * load.rows)
  return { byEvents, byRows, symbols: Math.floor(Math.min(byEvents, byRows)) }
}
