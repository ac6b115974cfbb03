/**
 * The REST side of the simulated Binance (from @dccd/binance's test support:
 * Binance's paging rules for aggTrades and historicalTrades) over a seeded
 * market, run as a child process so that answering pages does not compete
 * with the client being measured. The weight limit it announces is out of
 * reach: the bench measures the download path, not the exchange's budget.
 * Prints `READY <restUrl> <from µs> <to µs> <trades in range>` when listening.
 * Argument: hours of history (default 24).
 */
import { SimulatedMarket } from '@dccd/testkit'
import { SimulatedBinance } from '../../../binance/test/support/simulated-binance.js'

const hours = Number(process.argv[2] ?? 24)
const HOUR = 3_600_000_000
const from = Date.UTC(2026, 10, 1) * 1000
const to = from + hours * HOUR
// Ten trades a second, about BTCUSDT's quieter hours; a minute of lead so the range starts mid-market.
const market = new SimulatedMarket({ seed: 17, symbols: ['BTCUSDT'], start: from - 60_000_000, tradesPerSecond: 10 })
market.advance((to - market.now) / 1000 + 60_000)
const sim = await SimulatedBinance.start(market, { weightLimit: { limit: 1_000_000_000, interval: 'MINUTE' } })
const inRange = market.tradesBetween('BTCUSDT', from, to - 1, Number.MAX_SAFE_INTEGER).length
process.stdout.write(`READY ${sim.urls.restUrl} ${from} ${to} ${inRange}\n`)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
