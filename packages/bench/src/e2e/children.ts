/**
 * The end-to-end bench's processes: the server (./server.ts), started once
 * per exchange, and each contestant run (./contestant.ts), a fresh process.
 */
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { benchCpus, lineStartingWith, spawnTs } from '../child-process.js'
import type { ContestantName, ContestantRun, ContestantSpec } from './contestants/run.js'
import type { E2eExchange, Expected } from './session.js'

/** A running end-to-end server. */
export interface E2eServer {
  readonly child: ChildProcess
  readonly wsUrl: string
  readonly restUrl: string
  readonly expected: Expected
  /** Ends the server process. */
  close(): void
}

/**
 * Starts the server for `exchange` with `frames` data frames per connection (on the server CPU of
 * {@link benchCpus}); resolves once it listens.
 *
 * @param copies Binance: play the captured symbols under this many names each (./binance-session.ts)
 * @param pinned the CPUs, when pinned
 */
export async function startE2eServer(exchange: E2eExchange, frames: number, copies = 1, pinned = benchCpus()): Promise<E2eServer> {
  const child = spawnTs(new URL('./server.ts', import.meta.url), [exchange, String(frames), String(copies)], { cpu: pinned?.server })
  const { port, expected } = JSON.parse(await lineStartingWith(child, 'READY ')) as { port: number; expected: Expected }
  return {
    child,
    wsUrl: `ws://127.0.0.1:${port}`,
    restUrl: `http://127.0.0.1:${port}`,
    expected,
    close: () => {
      child.stdin?.end()
      child.kill()
    },
  }
}

/** What a contestant is told about the session `server` plays. */
export function specFor(contestant: ContestantName, server: E2eServer): ContestantSpec {
  const { exchange, symbols, frames, perSymbol } = server.expected
  let events = 0
  for (const tally of Object.values(perSymbol)) events += tally.bookEvents + tally.trades
  return { contestant, exchange, wsUrl: server.wsUrl, restUrl: server.restUrl, symbols, frames, events }
}

/**
 * Runs one contestant in a fresh process (on the client CPU of {@link benchCpus}) and returns what it reported.
 *
 * @param nodeArgs extra Node flags for the contestant process (`--cpu-prof`, …)
 */
export async function runContestantProcess(spec: ContestantSpec, nodeArgs: readonly string[] = []): Promise<ContestantRun> {
  const child = spawnTs(new URL('./contestant.ts', import.meta.url), [JSON.stringify(spec)], { nodeArgs, cpu: benchCpus()?.client })
  const exited = once(child, 'exit')
  const run = JSON.parse(await lineStartingWith(child, 'RESULT ')) as ContestantRun
  await exited // a profile is written at exit
  return run
}
