/**
 * Derives test/fixtures/usdm-2021-07-22.replay.jsonl from the real USDⓈ-M futures capture.
 *
 *   npx tsx scripts/make-futures-replay.ts [capture.jsonl] [out.jsonl]
 *
 * The capture (2021) opened one un-routed combined-stream URL; since 2026-04-23 Binance serves
 * `@depth` and `@bookTicker` on `/public` and `@aggTrade`, `@kline` on `/market` only. The first
 * line therefore becomes two URL lines (`dir: "out"`, `data: null`, which a replay does not count as
 * client messages), one per routed path with that path's streams; the frames keep their capture
 * order (a test serves each connection its path's frames). One `rest` line is added: a minimal
 * `GET /fapi/v1/exchangeInfo` body for the four symbols (synthesized, not captured) so symbol
 * validation can run against the replay. Every other line is kept as it is.
 */
import { here, readLines, writeLines } from './replay-lines.js'
import type { Line } from './replay-lines.js'

const input = process.argv[2] ?? here('../test/fixtures/usdm-2021-07-22.jsonl')
const output = process.argv[3] ?? here('../test/fixtures/usdm-2021-07-22.replay.jsonl')

/** The routed path of a stream (see src/futures/usdm.ts). */
const routeOf = (stream: string): '/public' | '/market' => (/@(depth|bookTicker)/.test(stream) ? '/public' : '/market')

const ASSETS: Record<string, string> = { SUSHIUSDT: 'SUSHI', AKROUSDT: 'AKRO', KEEPUSDT: 'KEEP', CTKUSDT: 'CTK' }

const lines = readLines(input)

const out: Line[] = []
for (const line of lines) {
  if (line.dir === 'out' && typeof line.url === 'string') {
    const url = new URL(line.url)
    const streams = url.searchParams.get('streams')!.split('/')
    for (const route of ['/public', '/market'] as const) {
      const routed = streams.filter((stream) => routeOf(stream) === route)
      out.push({ t: line.t, dir: 'out', url: `${url.origin}${route}/stream?streams=${routed.join('/')}`, data: null })
    }
    out.push({
      t: line.t,
      dir: 'rest',
      url: 'https://fapi.binance.com/fapi/v1/exchangeInfo',
      data: {
        timezone: 'UTC',
        serverTime: Math.floor(line.t),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
          { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
        ],
        symbols: Object.entries(ASSETS).map(([symbol, baseAsset]) => ({
          symbol,
          pair: symbol,
          contractType: 'PERPETUAL',
          deliveryDate: 4133404800000,
          status: 'TRADING',
          baseAsset,
          quoteAsset: 'USDT',
          marginAsset: 'USDT',
        })),
      },
    })
    continue
  }
  out.push(line)
}

writeLines(output, out)
process.stdout.write(`${output}: ${out.length} lines (URL split into /public and /market, exchangeInfo added)\n`)
