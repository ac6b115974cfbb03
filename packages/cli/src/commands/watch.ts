/**
 * `dccd watch`: the live terminal view. A thin loop around the pure
 * renderer: redraws in place at most 5 times a second, quits on `q` or
 * Ctrl-C. Off a terminal it prints a frame every second instead.
 */
import { nowMicros } from '@dccd/core'
import type { ChannelKind } from '@dccd/core'
import type { DiscoveryOptions } from '../discovery.js'
import { findAdapter } from '../discovery.js'
import { errorMessage, isUsageError } from '../errors.js'
import type { Io } from '../io.js'
import { cliLogger } from '../io.js'
import { setLongTimeout } from '../long-timeout.js'
import { STOP_SIGNALS, Shutdown } from '../shutdown.js'
import { WatchModel } from '../watch/model.js'
import { renderWatch } from '../watch/render.js'

/** Options of `dccd watch`. */
export interface WatchOptions {
  readonly exchange: string
  readonly symbol: string
  readonly depth: number
  readonly wsUrl?: string
  readonly restUrl?: string
  readonly durationMs?: number
  readonly discovery?: DiscoveryOptions
  readonly verbose?: boolean
}

/** The channels the view subscribes to, of those the adapter offers: quotes and derivatives give the lines above the ladder. */
const WATCHED: readonly ChannelKind[] = ['book', 'trades', 'quotes', 'derivatives']

/** Runs the view until q/Ctrl-C (or `durationMs`); resolves the exit code. */
export async function runWatch(options: WatchOptions, io: Io): Promise<number> {
  const adapter = await findAdapter(options.exchange, options.discovery)
  const channels = adapter.channels.filter((kind) => WATCHED.includes(kind))
  const feed = adapter.createFeed({
    symbols: [options.symbol],
    channels: channels as never,
    ...(options.wsUrl === undefined ? {} : { wsUrl: options.wsUrl }),
    ...(options.restUrl === undefined ? {} : { restUrl: options.restUrl }),
    logger: cliLogger(io, options.verbose ?? false),
  })
  const model = new WatchModel(adapter.id, options.symbol, 50, Date.now())
  const shutdown = new Shutdown(0)
  const tty = io.outIsTTY
  const stdin = process.stdin
  const onKey = (data: Buffer): void => {
    const key = data.toString()
    if (key === 'q' || key === 'Q' || key === '\u0003') shutdown.stop('signal')
  }
  const onSignal = (): void => shutdown.stop('signal')
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  if (tty && stdin.isTTY) {
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onKey)
    io.out('\x1b[?1049h\x1b[?25l') // alternate screen, hide cursor
  }
  const draw = (): void => {
    model.tick(Date.now())
    const lines = renderWatch(model.state(feed.stats.reconnects), {
      depth: options.depth,
      width: io.columns || 80,
      now: nowMicros(),
      ...(adapter.market?.openInterestUnit === undefined ? {} : { openInterestUnit: adapter.market.openInterestUnit }),
    })
    if (tty) io.out(`\x1b[H${lines.join('\x1b[K\n')}\x1b[K\x1b[J`)
    else io.out(`${lines.join('\n')}\n\n`)
  }
  const timer = setInterval(draw, tty ? 200 : 1000)
  const cancelDuration = options.durationMs === undefined ? () => {} : setLongTimeout(() => shutdown.stop('duration'), options.durationMs)
  let failure: unknown
  const pump = (async () => {
    try {
      for await (const event of feed.stream()) model.apply(event)
    } catch (error) {
      failure = error
    }
    shutdown.stop('ended')
  })()
  try {
    await shutdown.stopped
    await Promise.race([feed.stop(), new Promise((done) => setTimeout(done, 2000).unref())])
    await Promise.race([pump, new Promise((done) => setTimeout(done, 1000).unref())])
  } finally {
    clearInterval(timer)
    cancelDuration()
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
    if (tty && stdin.isTTY) {
      stdin.off('data', onKey)
      stdin.setRawMode(false)
      stdin.pause()
      io.out('\x1b[?25h\x1b[?1049l')
    }
  }
  if (!tty) draw()
  if (failure !== undefined) {
    if (isUsageError(failure)) throw failure
    throw new Error(`feed failed: ${errorMessage(failure)}`, { cause: failure })
  }
  return 0
}
