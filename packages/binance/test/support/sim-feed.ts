/** Feeds and markets on the simulated Binance, for the resume and bar tests. */
import { SimulatedMarket } from '@dccd/testkit'
import type { SimulatedTrade } from '@dccd/testkit'
import { exchange } from '../../src/index.js'
import type { BinanceFeedOptions } from '../../src/index.js'
import { recentStart } from './history-checks.js'
import { Reader } from './reader.js'
import { SimulatedBinance } from './simulated-binance.js'
import type { SimulatedBinanceOptions } from './simulated-binance.js'

export const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, jitter: 0, closeTimeoutMs: 200 }

/** Settings of {@link startSimulation}. */
export interface SimulationSettings extends SimulatedBinanceOptions {
  readonly seed: number
  readonly symbols: string[]
  /** Default 2. */
  readonly tradesPerSecond?: number
  /** Default 0.05. */
  readonly quietMinuteChance?: number
  /**
   * Whether a market starting at some minute suits the test (it may advance the probe it is given).
   * Quiet minutes are drawn per minute of the clock, so the start is searched for, minute by minute
   * back from an hour ago. Default: the first minute has trades.
   */
  readonly suits?: (probe: SimulatedMarket) => boolean
}

const firstMinuteTrades = (probe: SimulatedMarket): boolean => probe.advance(60_000).get(probe.symbols[0]!)!.length > 0

/** A market starting about an hour ago (its trades are in the past, within the default resume age) and Binance serving it. */
export async function startSimulation(settings: SimulationSettings): Promise<SimulatedBinance> {
  const market = (start: number): SimulatedMarket =>
    new SimulatedMarket({
      seed: settings.seed,
      symbols: settings.symbols,
      start,
      tradesPerSecond: settings.tradesPerSecond ?? 2,
      quietMinuteChance: settings.quietMinuteChance ?? 0.05,
    })
  const suits = settings.suits ?? firstMinuteTrades
  let start = recentStart(60 * 60_000)
  for (let tries = 0; !suits(market(start)); tries++) {
    if (tries === 600) throw new Error('no start in the last 10 hours suits the test')
    start -= 60_000_000
  }
  return SimulatedBinance.start(market(start), settings)
}

/** A feed on the simulation, reading, whose socket is open: the next `advance` reaches it. */
export async function openFeed(sim: SimulatedBinance, options: Pick<BinanceFeedOptions, 'symbols' | 'channels'> & Partial<BinanceFeedOptions>): Promise<Reader> {
  const connections = sim.fx.connections.length
  const reader = new Reader(exchange.createFeed({ ...sim.urls, ...FAST, ...options }), 15_000)
  // stream() connects on the first read: ask for one event, then wait for the socket.
  void reader.next().catch(() => {})
  await sim.fx.waitForConnection(connections + 1)
  return reader
}

/** Advances the market `stepMs` at a time until every symbol has traded (a quiet minute has no trades). */
export function advanceUntilTrades(sim: SimulatedBinance, stepMs: number): Map<string, SimulatedTrade[]> {
  const added = new Map<string, SimulatedTrade[]>(sim.market.symbols.map((symbol) => [symbol, []]))
  for (let steps = 0; [...added.values()].some((trades) => trades.length === 0); steps++) {
    if (steps === 100) throw new Error('the market stayed quiet')
    for (const [symbol, trades] of sim.advance(stepMs)) added.get(symbol)!.push(...trades)
  }
  return added
}
