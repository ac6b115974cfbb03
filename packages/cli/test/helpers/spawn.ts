// Spawns the real dccd process from source: the same src/bin.ts the build
// ships, run by tsx with the workspace's source condition, so no build is needed.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const TSX = pathToFileURL(require.resolve('tsx/esm')).href
const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url))

export interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface Running {
  child: ChildProcess
  /** Output so far. */
  readonly stdout: string
  readonly stderr: string
  /** Resolves when stderr (or stdout) contains `text`. */
  waitForOutput(text: string | RegExp): Promise<void>
  finished: Promise<Finished>
}

/** The argv that runs a TypeScript file from source (tsx, the workspace's source condition). */
export function tsxArgv(script: string, args: string[] = []): string[] {
  return [process.execPath, '--conditions=@dccd/source', '--import', TSX, script, ...args]
}

/** The argv that runs dccd from source. */
export function dccdArgv(args: string[]): string[] {
  return tsxArgv(BIN, args)
}

/** Starts `dccd <args>` in `cwd`. */
export function startDccd(args: string[], cwd: string): Running {
  const [node, ...rest] = dccdArgv(args)
  const child = spawn(node!, rest, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  let stdout = ''
  let stderr = ''
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = []
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (waiter.test(stderr + stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    check()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    check()
  })
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return {
    child,
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    waitForOutput(text) {
      const test = (s: string): boolean => (typeof text === 'string' ? s.includes(text) : text.test(s))
      return new Promise((resolve, reject) => {
        if (test(stderr + stdout)) return resolve()
        waiters.push({ test, resolve })
        void finished.then(() => reject(new Error(`dccd exited before printing ${String(text)}:\n${stderr}`)))
      })
    },
    finished,
  }
}

/** Runs `dccd <args>` to completion. */
export function runDccd(args: string[], cwd: string): Promise<Finished> {
  return startDccd(args, cwd).finished
}
