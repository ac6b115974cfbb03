/**
 * `dccd replay`: pushes a capture through its adapter at full speed and
 * prints the normalized events as NDJSON on stdout (or, with `--out`, records
 * them exactly as `dccd record` does). Symbols and channels default to the
 * capture's meta line.
 */
import type { CaptureFile } from '@dccd/testkit'
import { loadCapture, replaySession } from '@dccd/testkit'
import type { Channel, ExchangeAdapter } from '@dccd/core'
import type { RecordFormat } from '@dccd/recorder'
import type { DiscoveryOptions } from '../discovery.js'
import { findAdapter } from '../discovery.js'
import { UsageError, errorMessage } from '../errors.js'
import type { Io } from '../io.js'
import { cliLogger } from '../io.js'
import { runRecord } from './record.js'

/** What `dccd replay` was asked for. */
export interface ReplayOptions {
  readonly file: string
  /** Default: the capture's meta line. */
  readonly exchange?: string
  readonly symbols?: readonly string[]
  readonly channels?: readonly string[]
  /** Record into this folder instead of printing. */
  readonly out?: string
  readonly format: RecordFormat
  readonly discovery?: DiscoveryOptions
  readonly verbose?: boolean
}

/** Replays the capture; resolves the exit code. */
export async function runReplay(options: ReplayOptions, io: Io): Promise<number> {
  // 1. Everything that can be wrong with the input, before anything runs.
  const capture = readCapture(options.file)
  const exchange = options.exchange ?? capture.meta?.exchange
  const symbols = options.symbols ?? capture.meta?.symbols
  const channels = options.channels ?? capture.meta?.channels
  const missing = [exchange === undefined ? '--exchange' : '', symbols === undefined ? '--symbols' : '', channels === undefined ? '--channels' : ''].filter(Boolean)
  if (missing.length > 0) throw new UsageError(`${options.file} has no meta line; give ${missing.join(', ')}`)
  const adapter = await findAdapter(exchange!, options.discovery)
  // Offline: the adapter rejects unknown channels and malformed symbols before any socket opens.
  adapter.createFeed({ symbols: [...symbols!], channels: [...channels!] as Channel[], wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9' })
  const replayAdapter: ExchangeAdapter = { ...adapter, createFeed: (feedOptions) => replaySession(adapter, capture, feedOptions) }

  // 2. Record with dccd record's own code, its feed being the replay...
  if (options.out !== undefined) {
    return runRecord(
      { out: options.out, format: options.format, rotateMs: 3_600_000, feeds: [{ exchange: adapter.id, symbols: [...symbols!], channels: [...channels!] }] },
      { io, verbose: options.verbose ?? false, findAdapter: async () => replayAdapter },
    )
  }
  // 3. ...or print.
  const feed = replayAdapter.createFeed({ symbols: [...symbols!], channels: [...channels!] as Channel[], logger: cliLogger(io, options.verbose ?? false) })
  let events = 0
  for await (const event of feed.stream()) {
    io.out(`${JSON.stringify(event)}\n`)
    events++
  }
  io.err(`dccd: replayed ${options.file}: ${events} events\n`)
  return 0
}

function readCapture(file: string): CaptureFile {
  try {
    return loadCapture(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === undefined ? errorMessage(error) : code
    throw new UsageError(`cannot read capture ${JSON.stringify(file)}: ${why}`, { cause: error })
  }
}
