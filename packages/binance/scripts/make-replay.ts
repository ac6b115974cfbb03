/**
 * Derives test/fixtures/spot-2021-10-12.replay.jsonl from the real Binance capture.
 *
 *   npx tsx scripts/make-replay.ts [capture.jsonl] [out.jsonl]
 *
 * The capture subscribed to `@aggTrade`; the adapter subscribes to `@trade`. Every
 * aggregate in it holds exactly one trade (`f == l`), so the `@trade` frame is exact:
 * `{"e":"trade","E":E,"s":s,"t":f,"p":p,"q":q,"T":T,"m":m,"M":M}`. The stream names
 * (frames and the recorded URL) change accordingly; every other line is kept as is.
 * One `rest` line is added: a minimal `GET /api/v3/exchangeInfo` body for the four
 * symbols (synthesized — not captured) so symbol validation can run against the replay.
 */
import { here, readLines, writeLines } from './replay-lines.js'
import type { Line } from './replay-lines.js'

const input = process.argv[2] ?? here('../../testkit/fixtures/spot-2021-10-12.jsonl')
const output = process.argv[3] ?? here('../test/fixtures/spot-2021-10-12.replay.jsonl')

interface AggTrade {
  e: 'aggTrade'
  E: number
  s: string
  a: number
  p: string
  q: string
  f: number
  l: number
  T: number
  m: boolean
  M: boolean
}

const ASSETS: Record<string, [base: string, quote: string]> = {
  NKNUSDT: ['NKN', 'USDT'],
  BLZETH: ['BLZ', 'ETH'],
  LRCBTC: ['LRC', 'BTC'],
  RUNEEUR: ['RUNE', 'EUR'],
}

const lines = readLines(input)

const out: Line[] = []
let converted = 0
for (const line of lines) {
  if (line.dir === 'out' && typeof line.url === 'string') {
    out.push({ ...line, url: line.url.replaceAll('@aggTrade', '@trade') })
    // Right after the URL line, before any stream data: the (synthesized) instrument list.
    out.push({
      t: line.t,
      dir: 'rest',
      url: 'https://api.binance.com/api/v3/exchangeInfo',
      data: {
        timezone: 'UTC',
        serverTime: Math.floor(line.t),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
          { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 6100 },
        ],
        symbols: Object.entries(ASSETS).map(([symbol, [baseAsset, quoteAsset]]) => ({
          symbol,
          status: 'TRADING',
          baseAsset,
          quoteAsset,
        })),
      },
    })
    continue
  }
  const envelope = line.data as { stream?: string; data?: { e?: string } } | null
  if (line.dir === 'in' && envelope?.data?.e === 'aggTrade') {
    const agg = envelope.data as AggTrade
    if (agg.f !== agg.l) throw new Error(`aggTrade ${agg.a} holds trades ${agg.f}..${agg.l}; no exact @trade equivalent`)
    const trade = { e: 'trade', E: agg.E, s: agg.s, t: agg.f, p: agg.p, q: agg.q, T: agg.T, m: agg.m, M: agg.M }
    out.push({ ...line, data: { stream: envelope.stream!.replace('@aggTrade', '@trade'), data: trade } })
    converted++
    continue
  }
  out.push(line)
}

writeLines(output, out)
process.stdout.write(`${output}: ${out.length} lines (${converted} aggTrade frames converted to @trade)\n`)
