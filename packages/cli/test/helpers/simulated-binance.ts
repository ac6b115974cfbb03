// The simulated Binance of @dccd/binance's tests (REST history with Binance's paging rules and
// weight limit, the live stream), for the real dccd process to talk to.
import { SimulatedMarket } from '@dccd/testkit'
import type { SimulatedMarketOptions } from '@dccd/testkit'
import { SimulatedBinance } from '../../../binance/test/support/simulated-binance.js'
import type { SimulatedBinanceOptions } from '../../../binance/test/support/simulated-binance.js'

export type { SimulatedBinance }

/** A market over `options` and Binance serving it on 127.0.0.1. */
export function simulateBinance(options: SimulatedMarketOptions, binance: SimulatedBinanceOptions = {}): Promise<SimulatedBinance> {
  return SimulatedBinance.start(new SimulatedMarket(options), binance)
}

/** The `dccd record` flags that point the binance adapter at the simulation. */
export function simulationUrls(sim: SimulatedBinance): string[] {
  return ['--ws-url', sim.urls.wsUrl, '--rest-url', sim.urls.restUrl]
}

/** The `dccd backfill` flag that points the binance adapter at the simulation (REST only). */
export function simulationRestUrl(sim: SimulatedBinance): string[] {
  return ['--rest-url', sim.urls.restUrl]
}
