/**
 * The bench's child processes: loopback servers (so their sending does not
 * compete with the client measured) and end-to-end contestants (each in a
 * fresh process, so none inherits another's JIT state or heap).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { createInterface } from 'node:readline'

/**
 * Runs a TypeScript file of this package in a child Node process, workspace
 * packages from source (`--conditions=@dccd/source` + tsx: nothing needs to be
 * built). stdin is a pipe: the servers exit when it closes; stdout is read for
 * what the child reports; stderr is the parent's.
 *
 * @param options.nodeArgs extra Node flags (e.g. `--cpu-prof`)
 * @param options.cpu pin the child, every thread of it, to this CPU from its start (see {@link benchCpus})
 * @param options.env variables added to the parent's environment
 */
export function spawnTs(
  script: URL,
  args: readonly string[] = [],
  options: { readonly nodeArgs?: readonly string[]; readonly cpu?: number; readonly env?: Readonly<Record<string, string>> } = {},
): ChildProcess {
  const command = [process.execPath, '--conditions=@dccd/source', '--import', 'tsx', ...(options.nodeArgs ?? []), script.pathname, ...args]
  if (options.cpu !== undefined) command.unshift('taskset', '-c', String(options.cpu))
  return spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...options.env } })
}

/**
 * The CPUs to pin an end-to-end server and its contestants to, one each, or
 * `undefined` (unpinned): pinned when `DCCD_BENCH_PIN=1`, or by default where
 * `byDefault` (`bench:ab`), unless `DCCD_BENCH_PIN=0`; never without `taskset`
 * or a second CPU.
 *
 * Why: on the 2-vCPU machine these figures come from, the two vCPUs ran the
 * same work up to 2× apart (they share physical cores with other guests), and
 * which one the scheduler gave a process decided its speed: the floor moved
 * between about 300 k and 540 k frames/s run to run, and a run could switch
 * speed midway. Pinned, every contestant reads from the same server CPU on
 * the same client CPU, so two versions compare like with like. But a pinned
 * contestant's helper threads (GC, compiler) share its one CPU, which costs
 * dccd (more GC and JIT work than the floor's) more than the floor: the
 * section's published ratios stay unpinned, as they were measured from the start.
 */
export function benchCpus(byDefault = false): { readonly server: number; readonly client: number } | undefined {
  const setting = process.env.DCCD_BENCH_PIN
  if (setting === '0' || (setting !== '1' && !byDefault) || cpus().length < 2) return undefined
  if (tasksetFound === undefined) tasksetFound = spawnSync('taskset', ['--version']).status === 0
  return tasksetFound ? { server: 1, client: 0 } : undefined
}

let tasksetFound: boolean | undefined

/**
 * The rest of the first line `child` prints that starts with `prefix`.
 *
 * @throws Error when the child closes its output (exits) first
 */
export async function lineStartingWith(child: ChildProcess, prefix: string): Promise<string> {
  for await (const line of createInterface({ input: child.stdout! })) if (line.startsWith(prefix)) return line.slice(prefix.length)
  throw new Error(`child process ${child.spawnargs.at(-1) ?? ''} exited (code ${child.exitCode}) before printing "${prefix.trim()}"`)
}
