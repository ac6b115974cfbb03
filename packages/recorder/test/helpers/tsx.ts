// Runs a TypeScript file of this package in a child process, from source: tsx with the workspace's source condition.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const TSX = pathToFileURL(require.resolve('tsx/esm')).href

/** How a child process ended, with its output. */
export interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The argv that runs a TypeScript file from source (tsx, the workspace's source condition). */
export function tsxArgv(script: string, args: string[] = []): string[] {
  return [process.execPath, '--conditions=@dccd/source', '--import', TSX, script, ...args]
}
