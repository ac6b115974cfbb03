/**
 * `pnpm bench:ab <exchange> <contestant> --base=DIR`: did a change make one
 * end-to-end contestant faster? The end-to-end section's medians move by
 * 10–30 % between runs on a shared 2-vCPU machine, far more than most
 * changes; this compares two versions of one contestant side by side with
 * the noise held down:
 *
 * - A is the contestant of the checkout at `--base` (its `packages/bench`,
 *   dependencies installed), B this checkout's; both read the same session
 *   from one server (this checkout's).
 * - Each arm runs in fresh processes, 5 runs per process (the first is what
 *   the end-to-end section measures: a fresh process, JIT warm-up included;
 *   the other 4 are warm), `--pairs` processes per arm, alternating A B, B A.
 * - The server and the contestants are pinned to CPUs (`benchCpus` in
 *   ../child-process.ts; `DCCD_BENCH_PIN=0` to turn it off): stable figures
 *   for comparing two versions, lower than the section's unpinned ones.
 * - `--env-a=K=V,…` / `--env-b=…` set environment variables per arm (for a
 *   switch in the code under test, with `--base=.` for both arms).
 *
 * Prints, per arm, every process's first run and warm median (frames/s).
 */
import { resolve } from 'node:path'
import { benchCpus, lineStartingWith, spawnTs } from '../child-process.js'
import { specFor, startE2eServer } from './children.js'
import type { ContestantName, ContestantSpec } from './contestants/run.js'
import { E2E_EXCHANGES, type E2eExchange } from './session.js'

const RUNS_PER_PROCESS = 5

interface ArmResult {
  readonly firstRuns: number[]
  readonly warmMedians: number[]
}

const args = process.argv.slice(2)
const [exchange, contestant] = args.filter((a) => !a.startsWith('--'))
const flags = new Map(args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split(/=(.*)/s, 2) as [string, string]))

if (process.env.DCCD_AB_CHILD !== undefined) {
  await runChild(process.env.DCCD_AB_CHILD, JSON.parse(process.env.DCCD_AB_SPEC!) as ContestantSpec)
} else {
  await compare()
}

async function compare(): Promise<void> {
  if (!(E2E_EXCHANGES as readonly string[]).includes(exchange ?? '') || contestant === undefined || !flags.has('base')) {
    throw new Error(`usage: bench:ab <${E2E_EXCHANGES.join('|')}> <contestant> --base=DIR [--pairs=3] [--env-a=K=V,…] [--env-b=K=V,…]`)
  }
  const pin = benchCpus(true)
  if (pin === undefined) process.stderr.write('not pinned (no taskset, one CPU, or DCCD_BENCH_PIN=0): expect noisier figures\n')
  const arms = { A: resolve(flags.get('base')!, 'packages/bench'), B: resolve(new URL('../..', import.meta.url).pathname) }
  const env = { A: parseEnv(flags.get('env-a')), B: parseEnv(flags.get('env-b')) }
  const pairs = Number(flags.get('pairs') ?? 3)
  const server = await startE2eServer(exchange as E2eExchange, 300_000, 1, pin)
  const spec = specFor(contestant as ContestantName, server)
  const results: Record<'A' | 'B', ArmResult> = { A: { firstRuns: [], warmMedians: [] }, B: { firstRuns: [], warmMedians: [] } }
  try {
    for (let pair = 0; pair < pairs; pair++) {
      for (const arm of pair % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        const rates = await runArmProcess(arms[arm], env[arm], spec, pin?.client)
        results[arm].firstRuns.push(rates[0]!)
        results[arm].warmMedians.push(median(rates.slice(1)))
      }
    }
  } finally {
    server.close()
  }
  const k = (rate: number): string => `${(rate / 1000).toFixed(0)}k`
  for (const arm of ['A', 'B'] as const) {
    const { firstRuns, warmMedians } = results[arm]
    process.stdout.write(
      `${arm} ${arms[arm]} ${flags.get(`env-${arm.toLowerCase()}`) ?? ''}\n` +
        `  first runs ${firstRuns.map(k).join(' ')} (median ${k(median(firstRuns))}); warm ${warmMedians.map(k).join(' ')} (median ${k(median(warmMedians))}) frames/s\n`,
    )
  }
}

/** One process of one arm: its frames/s per run. */
async function runArmProcess(benchDir: string, env: Record<string, string>, spec: ContestantSpec, cpu: number | undefined): Promise<number[]> {
  const child = spawnTs(new URL(import.meta.url), [], { cpu, env: { ...env, DCCD_AB_CHILD: benchDir, DCCD_AB_SPEC: JSON.stringify(spec) } })
  return JSON.parse(await lineStartingWith(child, 'RATES ')) as number[]
}

async function runChild(benchDir: string, spec: ContestantSpec): Promise<void> {
  const { runContestant } = (await import(resolve(benchDir, 'src/e2e/contestant.ts'))) as typeof import('./contestant.js')
  const rates: number[] = []
  for (let i = 0; i < RUNS_PER_PROCESS; i++) {
    const run = await runContestant(spec)
    if (run.problems.length > 0) throw new Error(`${spec.contestant} run ${i + 1}: ${run.problems.slice(0, 3).join('; ')}`)
    rates.push((spec.frames * 1000) / run.elapsedMs)
  }
  process.stdout.write(`RATES ${JSON.stringify(rates)}\n`, () => process.exit(0))
}

function parseEnv(list: string | undefined): Record<string, string> {
  const pairs = (list ?? '').split(',').filter(Boolean).map((kv) => kv.split(/=(.*)/s, 2) as [string, string])
  return Object.fromEntries(pairs)
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
