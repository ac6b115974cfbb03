/**
 * The bench's child processes: loopback servers (so their sending does not
 * compete with the client measured) and end-to-end contestants (each in a
 * fresh process, so none inherits another's JIT state or heap).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

/**
 * Runs a TypeScript file of this package in a child Node process, workspace
 * packages from source (`--conditions=@dccd/source` + tsx: nothing needs to be
 * built). stdin is a pipe: the servers exit when it closes; stdout is read for
 * what the child reports; stderr is the parent's.
 *
 * @param nodeArgs extra Node flags (e.g. `--cpu-prof`)
 */
export function spawnTs(script: URL, args: readonly string[] = [], nodeArgs: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, ['--conditions=@dccd/source', '--import', 'tsx', ...nodeArgs, script.pathname, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
}

/**
 * The rest of the first line `child` prints that starts with `prefix`.
 *
 * @throws Error when the child closes its output (exits) first
 */
export async function lineStartingWith(child: ChildProcess, prefix: string): Promise<string> {
  for await (const line of createInterface({ input: child.stdout! })) if (line.startsWith(prefix)) return line.slice(prefix.length)
  throw new Error(`child process ${child.spawnargs.at(-1) ?? ''} exited (code ${child.exitCode}) before printing "${prefix.trim()}"`)
}
