import { execFileSync } from 'node:child_process'
import { table } from '../harness.js'
import { section, type Section } from '../report.js'
import { BookDisagreementError } from '../book/agree.js'

interface ChildReport {
  name: string
  books: number
  levels: number
  heapUsed: number
  arrayBuffers: number
  rss: number
  peakRss: number
  firstBookLevels: number
}

/** One implementation's memory, net of the baseline process that built the same inputs and kept nothing. */
export interface MemoryResult {
  readonly name: string
  /** Heap + array buffers retained by the books, bytes. */
  readonly retained: number
  /** Of which JS heap and ArrayBuffer (typed array) storage, bytes. */
  readonly heap: number
  readonly arrayBuffers: number
  readonly peakRss: number
  readonly rss: number
}

const IMPLS = ['dccd OrderBook', 'tardis-dev OrderBook', 'ccxt ws OrderBook', 'naive Map + sort']
const MB = 1024 * 1024

/** Section 4: memory for `symbols` books of `depth` levels per side, one fresh process per implementation. */
export function benchMemory(symbols = 1000, depth = 1000, updates = 2000): { section: Section; results: MemoryResult[] } {
  const run = (name: string): ChildReport => {
    const output = execFileSync(
      process.execPath,
      ['--expose-gc', '--conditions=@dccd/source', '--import', 'tsx', new URL('./child.ts', import.meta.url).pathname, name, `${symbols}`, `${depth}`, `${updates}`],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    )
    return JSON.parse(output.trim().split('\n').pop()!) as ChildReport
  }
  const baseline = run('none')
  const reports = IMPLS.map(run)
  for (const r of reports) {
    if (r.books !== symbols || r.levels !== baseline.levels || r.firstBookLevels !== reports[0]!.firstBookLevels) {
      throw new BookDisagreementError(`memory: ${r.name} built ${r.books} books / first book ${r.firstBookLevels} levels; expected ${symbols} / ${reports[0]!.firstBookLevels}`)
    }
  }
  const results = reports.map((r) => ({
    name: r.name,
    retained: r.heapUsed + r.arrayBuffers - (baseline.heapUsed + baseline.arrayBuffers),
    heap: r.heapUsed - baseline.heapUsed,
    arrayBuffers: r.arrayBuffers - baseline.arrayBuffers,
    peakRss: r.peakRss,
    rss: r.rss,
  }))
  const out = section('4. Memory')
  out.blocks.push(
    `${symbols.toLocaleString('en-US')} books of ${depth.toLocaleString('en-US')} bids + ${depth.toLocaleString('en-US')} asks ` +
      `(generated snapshot, then ${updates.toLocaleString('en-US')} generated updates each; ${(baseline.levels / 1e6).toFixed(2)} M live levels in all), ` +
      'one fresh process per implementation, measured after two forced GCs. "Retained" is heap + ArrayBuffers minus a baseline ' +
      `process that generated the same input and kept nothing (baseline: heap ${(baseline.heapUsed / MB).toFixed(0)} MB, RSS ${(baseline.rss / MB).toFixed(0)} MB, peak RSS ${(baseline.peakRss / MB).toFixed(0)} MB).`,
    table(
      ['implementation', 'retained MB', 'of which heap / ArrayBuffers MB', 'bytes / level', 'RSS MB', 'peak RSS MB'],
      results.map((r) => [
        r.name,
        (r.retained / MB).toFixed(1),
        `${(r.heap / MB).toFixed(1)} / ${(r.arrayBuffers / MB).toFixed(1)}`,
        (r.retained / baseline.levels).toFixed(0),
        (r.rss / MB).toFixed(0),
        (r.peakRss / MB).toFixed(0),
      ]),
    ),
  )
  return { section: out, results }
}
