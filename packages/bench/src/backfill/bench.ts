/**
 * Backfill throughput: how fast `dccd backfill`'s path (Binance's
 * `createHistory` paging aggTrades → historicalTrades, normalizing, and the
 * recorder writing Parquet) turns REST pages into written trades, next to
 * two floors over the very same pages: a hand-written client that pages
 * with `fetch` + `JSON.parse` and keeps nothing, and `JSON.parse` alone on
 * the bodies already in memory. The simulated Binance runs in a child
 * process with a weight limit out of reach, so no run waits for the budget.
 */
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exchange as binance } from '@dccd/binance'
import { FileCheckpointStore } from '@dccd/core'
import { Recorder } from '@dccd/recorder'
import { lineStartingWith, spawnTs } from '../child-process.js'
import { fmtInt, fmtMs, fmtRatio, summarize, table, type RunPlan, type Timing } from '../harness.js'
import { fmtRate, section, type Section } from '../report.js'

/** Options of the backfill bench. */
export interface BackfillBenchOptions {
  /** Hours of simulated history at 10 trades/s. Default 24 (about 864,000 trades). */
  readonly hours?: number
  readonly plan?: RunPlan
}

/** What the backfill bench measured, trades per second (medians). */
export interface BackfillResult {
  readonly trades: number
  readonly pages: number
  readonly rates: Readonly<Record<BackfillCase, number>>
}

const CASES = ['JSON.parse of the pages', 'fetch + JSON.parse (hand-written pager)', 'history download (no write)', 'backfill written (Parquet, sealed)'] as const
type BackfillCase = (typeof CASES)[number]

/** The simulated exchange the runs read from. */
interface Server {
  readonly child: ChildProcess
  readonly restUrl: string
  readonly from: number
  readonly to: number
  readonly trades: number
}

/** Section: backfill throughput against the REST parse floors. */
export async function benchBackfill(options: BackfillBenchOptions = {}): Promise<{ section: Section; result: BackfillResult }> {
  const server = await startServer(options.hours ?? 24)
  try {
    const plan = options.plan ?? { warmup: 1, runs: 3 }
    const bodies: string[] = []
    const runs = new Map<BackfillCase, number[]>(CASES.map((name) => [name, []]))
    const counted = new Map<BackfillCase, number>()
    for (let run = 0; run < plan.warmup + plan.runs; run++) {
      // A rotating order, as the other comparisons do.
      for (let k = 0; k < CASES.length; k++) {
        const name = CASES[(run + k) % CASES.length]!
        if (name === 'JSON.parse of the pages' && bodies.length === 0) await pageByHand(server, bodies)
        ;(globalThis as { gc?: () => void }).gc?.()
        const started = performance.now()
        const count = await runCase(name, server, bodies)
        const elapsed = performance.now() - started
        if (run >= plan.warmup) runs.get(name)!.push(elapsed)
        counted.set(name, count)
      }
    }
    for (const [name, count] of counted) {
      if (count !== server.trades) throw new Error(`backfill bench: ${name} saw ${count} trades, the range holds ${server.trades}`)
    }
    const timings = CASES.map((name) => summarize(name, runs.get(name)!))
    const rate = (t: Timing): number => server.trades / (t.medianMs / 1000)
    const rates = Object.fromEntries(timings.map((t) => [t.name, rate(t)])) as Record<BackfillCase, number>
    const out = section('Backfill throughput (Binance trades over REST, no rate limit)')
    out.blocks.push(
      `${fmtInt(server.trades)} trades of simulated BTCUSDT history in ${fmtInt(bodies.length)} historicalTrades pages of 1,000, ` +
        `served by the simulated Binance (Binance's paging rules) in a child process on 127.0.0.1 with an unreachable weight limit. ` +
        `Runs: ${plan.warmup} warm-up, ${plan.runs} measured, rotating order.`,
      table(
        ['path', 'median ms', 'min–max ms', 'trades/s (median)', 'vs fetch + JSON.parse'],
        timings.map((t) => [
          t.name,
          fmtMs(t.medianMs),
          `${fmtMs(t.minMs)}–${fmtMs(t.maxMs)}`,
          fmtRate(rate(t)),
          fmtRatio(rate(t) / rates['fetch + JSON.parse (hand-written pager)']),
        ]),
      ),
      'At Binance\'s real limit (6,000 weight/min, 25 per page, 80 % share) a backfill is bounded by the budget at about ' +
        `${fmtInt((6000 * 0.8) / 25 * 1000 / 60)} trades/s, far below every row above.`,
    )
    return { section: out, result: { trades: server.trades, pages: bodies.length, rates } }
  } finally {
    server.child.stdin!.end()
    await once(server.child, 'exit')
  }
}

function runCase(name: BackfillCase, server: Server, bodies: readonly string[]): Promise<number> {
  switch (name) {
    case 'JSON.parse of the pages':
      return Promise.resolve(parseBodies(bodies))
    case 'fetch + JSON.parse (hand-written pager)':
      return pageByHand(server)
    case 'history download (no write)':
      return downloadHistory(server)
    case 'backfill written (Parquet, sealed)':
      return downloadAndWrite(server)
  }
}

/** The parse floor: every stored page through `JSON.parse`, counting the trades in range. */
function parseBodies(bodies: readonly string[]): number {
  let count = 0
  for (const body of bodies) count += (JSON.parse(body) as unknown[]).length
  return count
}

/**
 * The hand-written client: the first id from one aggTrades call at the start
 * time, then historicalTrades pages of 1,000 by `fromId` until the range's
 * end; counts the trades in range. Keeps each body in `keep` when given.
 */
async function pageByHand(server: Server, keep?: string[]): Promise<number> {
  const ms = Math.floor(server.from / 1000)
  const first = (await getJson(`${server.restUrl}/api/v3/aggTrades?symbol=BTCUSDT&startTime=${ms}&limit=1`)) as Array<{ a: number }>
  let fromId = first[0]!.a
  let count = 0
  const end = server.to / 1000
  for (;;) {
    const response = await fetch(`${server.restUrl}/api/v3/historicalTrades?symbol=BTCUSDT&fromId=${fromId}&limit=1000`)
    const body = await response.text()
    const page = JSON.parse(body) as Array<{ id: number; time: number }>
    let inRange = 0
    while (inRange < page.length && page[inRange]!.time < end) inRange++
    count += inRange
    // The floor parses what it kept; the last page's rows past the range are not in the count.
    keep?.push(inRange === page.length ? body : JSON.stringify(page.slice(0, inRange)))
    if (inRange < page.length || page.length < 1000) return count
    fromId = page[page.length - 1]!.id + 1
  }
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url)
  return response.json()
}

/** dccd's history download alone: trades counted, nothing written. */
async function downloadHistory(server: Server): Promise<number> {
  const history = binance.createHistory!({ restUrl: server.restUrl })
  let count = 0
  for await (const page of history.trades({ symbol: 'BTCUSDT', from: server.from, to: server.to }, new AbortController().signal)) {
    for (const event of page) if (event.type === 'trade') count++
  }
  return count
}

/** The backfill path: the download written to Parquet by the recorder, sealed. */
async function downloadAndWrite(server: Server): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), 'dccd-bench-backfill-'))
  try {
    const recorder = new Recorder({ out, format: 'parquet', dateBy: 'timestamp', checkpoints: new FileCheckpointStore(join(out, '.checkpoints')) })
    recorder.start()
    const history = binance.createHistory!({ restUrl: server.restUrl })
    let count = 0
    for await (const page of history.trades({ symbol: 'BTCUSDT', from: server.from, to: server.to }, new AbortController().signal)) {
      for (const event of page) {
        recorder.write(event)
        if (event.type === 'trade') count++
      }
    }
    await recorder.close()
    // Every trade must be in a sealed file, or the "written" rate would flatter us.
    if (recorder.stats.rowsSealed < count) throw new Error(`backfill bench: ${recorder.stats.rowsSealed} rows sealed of ${count} trades given`)
    return count
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

async function startServer(hours: number): Promise<Server> {
  const child = spawnTs(new URL('./server.ts', import.meta.url), [String(hours)])
  const [restUrl, from, to, trades] = (await lineStartingWith(child, 'READY ')).split(' ')
  return { child, restUrl: restUrl!, from: Number(from), to: Number(to), trades: Number(trades) }
}
