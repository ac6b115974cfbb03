/** The recorder section as markdown: the method, one table per symbol count, and the busy-symbol estimate. */
import { fmtInt, table, type RunPlan } from '../harness.js'
import { fmtRate, section, type Section } from '../report.js'
import type { RecorderContestant, RecorderResult } from './bench.js'
import { BUSY_SYMBOL, CPU_BUDGET, busyLoad, busySymbolsPerProcess } from './capacity.js'

const LABELS: Record<RecorderContestant, string> = {
  bare: 'floor: bare `ws` + `JSON.parse`',
  'journal-lines': 'floor: bare `ws` + `JSON.parse` + one JSON line per event, `fs.writeSync` every 200 ms, fsync every 1 s',
  'dccd-recorder': 'dccd: `createFeed` → `Recorder.write` → journal → Parquet, sealed by `close()`',
}

export function describeRecorder(results: readonly RecorderResult[], frames: number, plan: RunPlan): Section {
  const out = section('7. Recorder throughput (issue 16)')
  out.blocks.push(
    `One recording process flooded as fast as it takes the data: the end-to-end server (section 6) plays the Binance spot capture ` +
      `looped to ${fmtInt(frames)} data frames (trades and \`depth@100ms\` diffs, update-id chains and trade ids continued), with ` +
      `the REST depth snapshots the feed asks for. For more symbols the capture's 4 are played under several names each, the same ` +
      `frames shared out among them. Each contestant runs in a fresh process, ${plan.runs} rounds after ${plan.warmup} warm-up, order ` +
      `rotating. The recorder runs with \`dccd record\`'s defaults (Parquet; journal flushed every 200 ms, fsynced every 1 s; a ` +
      `segment sealed every 100,000 rows), into a temporary folder; its clock stops when \`close()\` has sealed the last segment. ` +
      `Every run is checked: events per symbol and trade ids as the session has them, no \`resync\` or \`gap\`, and rows sealed ≥ ` +
      `the session's rows (one per trade, one per level of every book message). CPU is user + system of the whole process from ` +
      `connect to the end (every thread, so it can pass 100 % of the wall time); RSS is the process's peak.`,
  )
  for (const result of results) out.blocks.push(describeOne(result))
  out.blocks.push(capacity(results))
  return out
}

function describeOne(result: RecorderResult): string {
  const { expected, cases } = result
  const floor = cases.get('bare')!.rate.medianMs
  const recorder = cases.get('dccd-recorder')!
  const rows = [...cases].map(([c, r]) => [
    LABELS[c],
    fmtRate(r.rate.medianMs),
    `${fmtRate(r.rate.minMs)}–${fmtRate(r.rate.maxMs)}`,
    c === 'dccd-recorder' ? fmtRate((r.rate.medianMs * result.rows) / result.events) : '',
    r.cpuUsPerItem.toFixed(1),
    `${(100 * r.cpuShare).toFixed(0)}%`,
    r.maxRssMiB.toFixed(0),
    `${((100 * r.rate.medianMs) / floor).toFixed(0)}%`,
  ])
  return (
    `### ${expected.symbols.length} symbols\n\n` +
    `${fmtInt(expected.frames)} frames (${fmtInt(expected.mix.book)} depth diffs, ${fmtInt(expected.mix.trade)} trades), ` +
    `${fmtInt(result.events)} events with the snapshots, ${fmtInt(result.rows)} rows (${(result.rows / result.events).toFixed(1)} per event); ` +
    `the recorder sealed ${fmtInt(result.filesSealed)} files.\n\n` +
    table(['client', 'events/s (median)', 'min–max', 'rows/s', 'CPU µs/event', 'CPU ÷ wall', 'peak RSS MiB', 'vs JSON.parse'], rows) +
    `\n\nThe recorder: ${(recorder.cpuUsPerItem * (result.events / result.rows)).toFixed(2)} CPU µs per row.`
  )
}

/** Busy symbols per process from the run with the most symbols (the costlier per event, if any). */
function capacity(results: readonly RecorderResult[]): string {
  const load = busyLoad()
  const lines = results.map((result) => {
    const recorder = result.cases.get('dccd-recorder')!
    const perRow = (recorder.cpuUsPerItem * result.events) / result.rows
    const { byEvents, byRows, symbols } = busySymbolsPerProcess(recorder.cpuUsPerItem, perRow)
    return [`${result.expected.symbols.length}`, fmtInt(byEvents), fmtInt(byRows), `**${fmtInt(symbols)}**`]
  })
  return (
    `### How many busy symbols one process records\n\n` +
    `A busy symbol (Binance BTCUSDT-like, \`trades\` + \`book\`): ${BUSY_SYMBOL.bookEventsPerSecond} depth diffs/s (\`@depth@100ms\`), ` +
    `${BUSY_SYMBOL.tradesPerSecond} trades/s, ${BUSY_SYMBOL.levelsPerBookEvent} levels per diff: ${load.events} events/s, ${fmtInt(load.rows)} rows/s. ` +
    `Budget: ${100 * CPU_BUDGET} % of one core, the rest left for bursts, seals and GC. The run's CPU is charged once per event and ` +
    `once per row; the smaller count is the estimate.\n\n` +
    table(['symbols in the run', 'busy symbols (by events)', 'busy symbols (by rows)', 'busy symbols per process'], lines)
  )
}
