/**
 * `dccd capture`: records a live session, raw frames both ways and the REST
 * calls, into the testkit's replay format, by pointing the adapter at the
 * testkit's recording proxy. Everything is checked offline first.
 */
import { createWriteStream, openSync } from 'node:fs'
import type { Channel } from '@dccd/core'
import { CaptureProxy } from '@dccd/testkit'
import { captureEndpoints } from '../capture/endpoints.js'
import type { DiscoveryOptions } from '../discovery.js'
import { findAdapter } from '../discovery.js'
import { UsageError, errorMessage, isUsageError } from '../errors.js'
import type { Io } from '../io.js'
import { cliLogger } from '../io.js'
import { setLongTimeout } from '../long-timeout.js'
import { STOP_SIGNALS, Shutdown } from '../shutdown.js'

/** What `dccd capture` was asked for. */
export interface CaptureOptions {
  readonly exchange: string
  readonly symbols: readonly string[]
  readonly channels: readonly string[]
  /** The capture file. */
  readonly out: string
  readonly durationMs?: number
  /** The real WebSocket base URL (default: the adapter's published production endpoint). */
  readonly wsUrl?: string
  /** The real REST base URL. */
  readonly restUrl?: string
  readonly version: string
  readonly discovery?: DiscoveryOptions
  readonly verbose?: boolean
}

/** Longest wait for the feed to close before the capture is closed anyway, ms. */
const STOP_TIMEOUT_MS = 3000

/** Runs a capture until `--duration`, a stop signal or the feed's end; resolves the exit code. */
export async function runCapture(options: CaptureOptions, io: Io): Promise<number> {
  // 1. Everything that can be wrong with the input, before any network use.
  const adapter = await findAdapter(options.exchange, options.discovery)
  const upstream = captureEndpoints(adapter, options)
  const symbols = [...options.symbols]
  const channels = [...options.channels] as Channel[]
  // createFeed never touches the network: it checks symbols, channels and the URLs' shape.
  adapter.createFeed({ symbols, channels, ...upstream, validateSymbols: true })
  const file = openOut(options.out)

  // 2. Proxy, then the adapter's feed through it (the symbol listing request is captured too).
  const out = createWriteStream('', { fd: file })
  const proxy = await CaptureProxy.start({
    ...upstream,
    write: (line) => void out.write(line),
    meta: { exchange: adapter.id, symbols, channels, options: { validateSymbols: true }, dccd: `@dccd/cli ${options.version}` },
  })
  const feed = adapter.createFeed({ symbols, channels, wsUrl: proxy.wsUrl, restUrl: proxy.restUrl, validateSymbols: true, logger: cliLogger(io, options.verbose ?? false) })
  const shutdown = new Shutdown(0)
  const onSignal = (): void => shutdown.stop('signal')
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  const cancelDuration = options.durationMs === undefined ? () => {} : setLongTimeout(() => shutdown.stop('duration'), options.durationMs)
  io.err(`dccd: capturing ${adapter.id} ${symbols.join(',')} [${channels.join(',')}] from ${upstream.wsUrl} and ${upstream.restUrl} into ${options.out}${options.durationMs === undefined ? ' (Ctrl-C stops)' : ''}\n`)
  let events = 0
  let failure: unknown
  const pump = (async () => {
    try {
      for await (const _event of feed.stream()) events++
    } catch (error) {
      failure = error
    }
    shutdown.stop('ended')
  })()
  try {
    await shutdown.stopped
    await Promise.race([feed.stop().then(() => pump), new Promise((done) => setTimeout(done, STOP_TIMEOUT_MS).unref())])
  } finally {
    cancelDuration()
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
    await proxy.close()
    await new Promise<void>((resolve) => out.end(() => resolve()))
  }

  // 3. Summary.
  const { framesIn, framesOut, restCalls, connections, bytes } = proxy.stats
  io.err(
    `dccd: captured ${framesIn} frames in, ${framesOut} out, ${restCalls} REST call(s) on ${connections} socket(s), ` +
      `${bytes} bytes into ${options.out} (${events} events)\n`,
  )
  if (failure !== undefined) {
    if (isUsageError(failure)) throw failure
    throw new Error(`feed failed: ${errorMessage(failure)}`, { cause: failure })
  }
  return 0
}

/** Opens (creates or truncates) the capture file; exit 2 when it cannot be written. */
function openOut(path: string): number {
  try {
    return openSync(path, 'w')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new UsageError(`cannot write --out ${JSON.stringify(path)}: ${code === 'EISDIR' ? 'it is a folder' : code}`, { cause: error })
  }
}
