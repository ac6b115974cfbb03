/**
 * `pnpm bench`: runs every comparison and prints a markdown report.
 * Flags: `--only=book,adapters,transport,memory,backfill,e2e,recorder,nats` (default all),
 * `--exchanges=binance,kraken,…` (the end-to-end section's exchanges; default all), `--out=FILE` (also write the report there).
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { benchAdapters, type AdapterResult } from './adapters/bench.js'
import { benchBackfill } from './backfill/bench.js'
import { benchBooks, type BookResult } from './book/bench.js'
import { benchE2e, type E2eResult } from './e2e/bench.js'
import { E2E_EXCHANGES, type E2eExchange } from './e2e/session.js'
import { fmtRatio, table } from './harness.js'
import { benchMemory } from './memory/bench.js'
import { benchNats, type NatsResult } from './nats/bench.js'
import { benchRecorder } from './recorder/bench.js'
import { render, section, type Section } from './report.js'
import { benchTransport, type TransportResult } from './transport/bench.js'

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]))
const only = new Set((args.get('only') ?? 'book,adapters,transport,memory,backfill,e2e,recorder,nats').split(','))

const started = performance.now()
const sections: Section[] = []
const cpu = cpus()
const header =
  `# dccd benchmark results\n\nMachine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
  `Node ${process.version}, ${process.platform}/${process.arch}. Started ${new Date().toISOString()}.\n\n`

let books: BookResult[] | undefined
let adapters: AdapterResult[] | undefined
let transport: TransportResult | undefined
let e2e: E2eResult[] | undefined
if (only.has('book')) {
  const r = await benchBooks()
  books = r.results
  sections.push(r.section)
}
if (only.has('adapters')) {
  const r = await benchAdapters()
  adapters = r.results
  sections.push(r.section)
}
if (only.has('transport')) {
  const r = await benchTransport()
  transport = r.result
  sections.push(r.section)
}
if (only.has('memory')) sections.push(benchMemory().section)
if (only.has('backfill')) sections.push((await benchBackfill()).section)
if (only.has('e2e')) {
  const exchanges = args.get('exchanges')?.split(',')
  const r = await benchE2e(exchanges === undefined ? {} : { exchanges: checkedExchanges(exchanges) })
  e2e = r.results
  sections.push(r.section)
}
if (only.has('recorder')) sections.push((await benchRecorder()).section)
let nats: NatsResult | undefined
if (only.has('nats')) {
  const r = await benchNats()
  nats = r.result
  sections.push(r.section)
}
sections.unshift(targets(books, adapters, transport, e2e, nats))

const report = header + render(sections) + `\nTotal bench time: ${((performance.now() - started) / 1000).toFixed(0)} s.\n`
process.stdout.write(report)
if (args.get('out')) writeFileSync(args.get('out')!, report)

/** The targets of issues 7 and 17, met or not, from this run's numbers. */
function targets(books?: BookResult[], adapters?: AdapterResult[], transport?: TransportResult, e2e?: E2eResult[], nats?: NatsResult): Section {
  const out = section('Targets')
  const rows: string[][] = []
  const mark = (ok: boolean): string => (ok ? 'met' : '**missed**')
  const pct = (r: number): string => `${(100 * r).toFixed(0)}%`
  for (const r of books ?? []) {
    rows.push([`book apply ≥ 2× fastest peer: ${r.stream}, ${r.mode}`, `${fmtRatio(r.oursVsBestPeer)} (vs ${r.bestPeer})`, mark(r.oursVsBestPeer >= 2)])
  }
  // Issue 17: a top-10 read after every frame, through the allocation-free API.
  for (const r of (books ?? []).filter((b) => b.mode === 'top10')) {
    rows.push([`top-10 read ≥ 2.5× fastest peer: ${r.stream}`, `${fmtRatio(r.oursVsBestPeer)} (vs ${r.bestPeer})`, mark(r.oursVsBestPeer >= 2.5)])
    rows.push([`top-10 read no slower than hand-written sorted arrays: ${r.stream}`, fmtRatio(r.oursVsSortedArray), mark(r.oursVsSortedArray >= 1)])
  }
  for (const r of adapters ?? []) {
    rows.push([`parse + apply ≤ 1.5× JSON.parse: ${r.session}`, fmtRatio(r.oursOverFloor), mark(r.oursOverFloor <= 1.5)])
  }
  if (transport) {
    rows.push(['transport ≥ 80% of bare ws', pct(transport.oursOverFloor), mark(transport.oursOverFloor >= 0.8)])
  }
  if (nats) rows.push(['JetStream sink ≥ 80% of the bare client', pct(nats.sinkOverFloor), mark(nats.sinkOverFloor >= 0.8)])
  // Issue 17: end to end, checksums and sequence checks on, against a bare ws + JSON.parse client on the same frames.
  for (const r of e2e ?? []) {
    rows.push([`end to end ≥ 80% of bare ws + JSON.parse: ${r.exchange}`, pct(r.plainOverFloor), mark(r.plainOverFloor >= 0.8)])
    rows.push([`end to end with OrderBookSet ≥ 70% of bare ws: ${r.exchange}`, pct(r.booksOverFloor), mark(r.booksOverFloor >= 0.7)])
  }
  out.blocks.push(rows.length === 0 ? 'No targeted section ran.' : table(['target', 'this run', ''], rows))
  return out
}

/** `--exchanges`' names, each one of the end-to-end section's. */
function checkedExchanges(names: readonly string[]): E2eExchange[] {
  const bad = names.filter((n) => !(E2E_EXCHANGES as readonly string[]).includes(n))
  if (bad.length > 0) throw new Error(`--exchanges: unknown ${bad.join(', ')}; valid: ${E2E_EXCHANGES.join(', ')}`)
  return names as E2eExchange[]
}
