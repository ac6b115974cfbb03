import type { ChildProcess } from 'node:child_process'
import { lineStartingWith, spawnTs } from '../child-process.js'
import { fmtRatio, summarize, table, type RunPlan } from '../harness.js'
import { fmtRate, section, type Section } from '../report.js'
import { runBare, runOurs, type ClientRun } from './clients.js'

/** Options of the transport comparison. */
export interface TransportBenchOptions {
  /** Frames per flood run. Default 200,000. */
  readonly floodFrames?: number
  readonly floodPlan?: RunPlan
  /** Paced latency runs: frames per run and rate (frames/s). Defaults 10,000 at 5,000/s, 2 runs each. */
  readonly pacedFrames?: number
  readonly pacedRate?: number
  readonly pacedRuns?: number
}

/** Transport results: throughput ratio and latencies. */
export interface TransportResult {
  readonly oursRecordsPerSecond: number
  readonly bareRecordsPerSecond: number
  /** Ours ÷ bare ws (throughput): ≥ 0.8 meets the target. */
  readonly oursOverFloor: number
  readonly latencyUs: { ours: { p50: number; p99: number }; bare: { p50: number; p99: number } }
}

/** Section 3: `WebSocketBase.stream()` against a bare `ws` client, both reading from a loopback server in a child process. */
export async function benchTransport(options: TransportBenchOptions = {}): Promise<{ section: Section; result: TransportResult }> {
  const server = await startServer()
  try {
    const base = `ws://127.0.0.1:${server.port}/`
    const floodFrames = options.floodFrames ?? 200_000
    const plan = options.floodPlan ?? { warmup: 1, runs: 5 }
    const runs: Record<'ours' | 'bare', number[]> = { ours: [], bare: [] }
    for (let run = 0; run < plan.warmup + plan.runs; run++) {
      // Alternate who goes first, as the other comparisons do.
      for (const who of run % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        const url = `${base}?mode=flood&n=${floodFrames}`
        const r = who === 'ours' ? await runOurs(url, floodFrames) : await runBare(url, floodFrames)
        if (run >= plan.warmup) runs[who].push(r.recordsPerSecond)
      }
    }
    const pacedFrames = options.pacedFrames ?? 10_000
    const rate = options.pacedRate ?? 5000
    const latencies: Record<'ours' | 'bare', Float64Array[]> = { ours: [], bare: [] }
    for (let run = 0; run < (options.pacedRuns ?? 2); run++) {
      const url = `${base}?mode=paced&n=${pacedFrames}&rate=${rate}`
      latencies.ours.push((await runOurs(url, pacedFrames)).latenciesUs)
      latencies.bare.push((await runBare(url, pacedFrames)).latenciesUs)
    }
    // Rates: higher is better, so the "median" of the rates is what we report; min–max as measured.
    const ours = summarize('ours', runs.ours)
    const bare = summarize('bare', runs.bare)
    const lat = { ours: percentiles(latencies.ours), bare: percentiles(latencies.bare) }
    const result: TransportResult = {
      oursRecordsPerSecond: ours.medianMs,
      bareRecordsPerSecond: bare.medianMs,
      oursOverFloor: ours.medianMs / bare.medianMs,
      latencyUs: lat,
    }
    const out = section('3. Transport')
    out.blocks.push(
      `A loopback \`ws\` server in a child process writes captured Binance and Kraken frames, pre-encoded, straight to ` +
        `the TCP socket as fast as the client reads them, ${floodFrames.toLocaleString('en-US')} per run; ${plan.runs} runs per client after ${plan.warmup} warm-up, alternating. ` +
        'Ours: a `WebSocketBase` subclass whose `parseMessage` is `[JSON.parse(raw)]`, read through `stream()`. ' +
        'Floor: a bare `ws` client whose `message` handler does the same `JSON.parse`.',
      table(
        ['client', 'records/s (median)', 'min–max', 'vs bare ws'],
        [
          ['dccd WebSocketBase.stream()', fmtRate(ours.medianMs), `${fmtRate(ours.minMs)}–${fmtRate(ours.maxMs)}`, fmtRatio(result.oursOverFloor)],
          ['bare ws + JSON.parse (floor)', fmtRate(bare.medianMs), `${fmtRate(bare.minMs)}–${fmtRate(bare.maxMs)}`, fmtRatio(1)],
        ],
      ),
      `Latency from server send to record in hand, at ${rate.toLocaleString('en-US')} frames/s sent in ~1 ms bursts ` +
        `(${options.pacedRuns ?? 2} × ${pacedFrames.toLocaleString('en-US')} frames per client):`,
      table(
        ['client', 'p50 µs', 'p99 µs'],
        [
          ['dccd WebSocketBase.stream()', lat.ours.p50.toFixed(0), lat.ours.p99.toFixed(0)],
          ['bare ws + JSON.parse (floor)', lat.bare.p50.toFixed(0), lat.bare.p99.toFixed(0)],
          ['added by dccd', (lat.ours.p50 - lat.bare.p50).toFixed(0), (lat.ours.p99 - lat.bare.p99).toFixed(0)],
        ],
      ),
      `ours ÷ floor (throughput): **${fmtRatio(result.oursOverFloor)}**`,
    )
    return { section: out, result }
  } finally {
    server.child.stdin?.end()
    server.child.kill()
  }
}

function percentiles(runs: readonly Float64Array[]): { p50: number; p99: number } {
  const all = Float64Array.from(runs.flatMap((r) => [...r])).sort()
  const at = (q: number): number => all[Math.min(all.length - 1, Math.floor(q * all.length))]!
  return { p50: at(0.5), p99: at(0.99) }
}

/** Starts the loopback server (server.ts) in a child process; resolves once it listens. End it with `child.kill()`. */
export async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnTs(new URL('./server.ts', import.meta.url))
  return { child, port: Number(await lineStartingWith(child, 'PORT ')) }
}
