/** Clauses that read a live feed: shapes, units, ordering, reconnect, stop. */
import type { BookEvent, MarketEvent } from '@dccd/core'
import { nowMicros } from '@dccd/core'
import { shapeProblem, timestampProblem } from './checks.js'
import { ConformanceFailure, type EventReader } from './event-reader.js'
import type { CaseContext } from './harness.js'
import type { ResolvedConformanceOptions } from './options.js'
import { replayDelivered } from './replay-progress.js'

/** Longest time the contract allows from stop() to the end of the stream, ms. */
export const STOP_LIMIT_MS = 1000

const isMarket = (event: MarketEvent): boolean => event.type !== 'status'
const isBookOf = (event: MarketEvent, symbol: string): event is BookEvent =>
  event.type === 'book' && event.symbol === symbol

/**
 * Reads a sample of the replayed session: until every symbol has had a book event (when
 * streaming books), and the replay has been delivered (every frame sent counted in
 * `stats.frames`, and the records parsed from them read, not left in the queue) or, failing
 * that, a trade arrived (when streaming trades).
 */
export async function readSample(context: CaseContext, options: ResolvedConformanceOptions): Promise<EventReader> {
  const reader = context.read()
  const wantBook = options.channels.includes('book')
  const wantTrade = options.channels.includes('trades')
  const booked = new Set<string>()
  let traded = false
  let cursor = 0
  const enough = (): boolean => {
    for (; cursor < reader.events.length; cursor++) {
      const event = reader.events[cursor]!
      if (event.type === 'book') booked.add(event.symbol)
      else if (event.type === 'trade') traded = true
    }
    return (!wantBook || options.symbols.every((s) => booked.has(s))) && (replayDelivered(context, reader) || (wantTrade && traded))
  }
  const book = wantBook ? `a book event for each of ${options.symbols.join(', ')} and ` : ''
  await reader.until(enough, `${book}the whole replay (stats.frames reaching the frames sent)${wantTrade ? ' or a trade' : ''}`)
  // Frames counted can still have their records queued: read those before judging the sample.
  await reader.drain()
  return reader
}

export async function timestampsAreMicros(context: CaseContext, options: ResolvedConformanceOptions): Promise<void> {
  const reader = await readSample(context, options)
  const now = nowMicros()
  for (const event of reader.events) {
    const problem = timestampProblem(event, now)
    if (problem !== undefined) throw new ConformanceFailure(problem)
  }
}

export async function eventsHaveShape(
  context: CaseContext,
  options: ResolvedConformanceOptions,
  exchange: { id: string; barIntervals: readonly string[] },
): Promise<void> {
  const reader = await readSample(context, options)
  if (!reader.events.some(isMarket)) throw new ConformanceFailure('The feed yielded no market event (trade, book, bar, quote, derivative, liquidation)')
  // The session must exercise what the adapter streams, or the shapes go unchecked.
  for (const [channel, type] of [
    ['trades', 'trade'],
    ['book', 'book'],
    ['quotes', 'quote'],
    ['derivatives', 'derivative'],
  ] as const) {
    if (options.channels.includes(channel) && !reader.events.some((event) => event.type === type)) {
      throw new ConformanceFailure(`The feed yielded no ${type} event from the session although it streams ${channel}`)
    }
  }
  for (const event of reader.events) {
    const problem = shapeProblem(event, exchange.id, options.symbols, exchange.barIntervals)
    if (problem !== undefined) throw new ConformanceFailure(problem)
  }
}

export async function firstBookIsSnapshot(context: CaseContext, options: ResolvedConformanceOptions): Promise<void> {
  const reader = await readSample(context, options)
  for (const symbol of options.symbols) {
    const first = reader.events.find((event) => isBookOf(event, symbol)) as BookEvent
    if (!first.isSnapshot) throw new ConformanceFailure(`The first book event for ${symbol} is a delta, not a snapshot`)
  }
}

export async function disconnectYieldsStatusThenSnapshot(
  context: CaseContext,
  options: ResolvedConformanceOptions,
): Promise<void> {
  const symbol = options.symbols[0]!
  const reader = context.read()
  await reader.until(
    () => reader.events.some((event) => isBookOf(event, symbol) && event.isSnapshot),
    `a book snapshot for ${symbol}`,
  )
  const before = context.fx.connections.length
  for (const connection of context.fx.connections) connection.terminate()
  let disconnected = false
  let connected = false
  for (;;) {
    const waitingFor = !disconnected
      ? "status 'disconnected' after the server dropped the connection"
      : !connected
        ? "status 'connected' after the reconnect"
        : `a book snapshot for ${symbol} after the reconnect`
    const event = await reader.next(waitingFor)
    if (event.type === 'status') {
      if (event.status === 'disconnected') disconnected = true
      else if (event.status === 'connected' && disconnected) connected = true
      continue
    }
    if (!isBookOf(event, symbol)) continue
    if (!disconnected) {
      // Deltas may still be in flight from the dropped socket; a snapshot from the new one may not.
      if (event.isSnapshot && context.fx.connections.length > before) {
        throw new ConformanceFailure(`A book snapshot for ${symbol} arrived after the reconnect without status 'disconnected'`)
      }
      continue
    }
    if (!connected) {
      throw new ConformanceFailure(`A book event for ${symbol} arrived after 'disconnected' but before 'connected'`)
    }
    if (!event.isSnapshot) {
      throw new ConformanceFailure(`The first book event for ${symbol} after the reconnect is a delta, not a snapshot`)
    }
    return
  }
}

/** Calls stop() and requires the stream to end (not throw) within {@link STOP_LIMIT_MS}. */
async function stopEndsStream(reader: EventReader, state: string): Promise<void> {
  const stopped = reader.feed.stop()
  const ended = (async () => {
    for (;;) {
      let result: IteratorResult<MarketEvent>
      try {
        result = await reader.nextResult('the stream to end')
      } catch (error) {
        throw new ConformanceFailure(`The stream threw after stop() ${state}: ${String(error)}`)
      }
      if (result.done === true) return
    }
  })()
  await withLimit(ended, STOP_LIMIT_MS, `The stream did not end within ${STOP_LIMIT_MS} ms of stop() ${state}`)
  await withLimit(stopped, 2000, `stop() did not resolve within 2000 ms ${state}`)
}

export async function stopWhileStreaming(context: CaseContext): Promise<void> {
  const reader = context.read()
  await reader.until(() => reader.events.some(isMarket), 'a first market event')
  await stopEndsStream(reader, 'while streaming')
}

export async function stopDuringReconnect(context: CaseContext): Promise<void> {
  // A long second delay: the feed is surely waiting out a backoff when stop() comes.
  const reader = context.read({ initialBackoffMs: 200, backoffFactor: 20, maxBackoffMs: 60_000 })
  await reader.until(() => reader.events.length > 0, 'a first event')
  const { fx } = context
  fx.refuseConnections(Number.POSITIVE_INFINITY)
  for (const connection of fx.connections) connection.terminate()
  await withLimit(
    fx.waitUntil(() => fx.refusedCount >= 1),
    10_000,
    'The feed did not try to reconnect within 10 s after the server dropped it',
  )
  await stopEndsStream(reader, 'during a pending reconnect')
}

export async function noSocketAfterStop(context: CaseContext): Promise<void> {
  const reader = context.read()
  await reader.until(() => reader.events.some(isMarket), 'a first market event')
  await withLimit(reader.feed.stop(), 2000, 'stop() did not resolve within 2000 ms')
  const { fx } = context
  await withLimit(
    Promise.all(fx.connections.map((connection) => connection.closed)),
    2000,
    `${fx.openConnections} socket(s) still open 2000 ms after stop() resolved`,
  )
  if (fx.openConnections > 0) throw new ConformanceFailure('The feed opened a new socket after stop() resolved')
}

export async function malformedFrameIsCounted(context: CaseContext): Promise<void> {
  const reader = context.read()
  try {
    await reader.until(() => reader.feed.stats.parseErrors > 0, 'stats.parseErrors to count the malformed frame')
    // Frames are parsed in order, so an event read once the error was counted came from a
    // later frame (or sat in the queue): either way the stream went on. Comparing with the
    // read position instead would race when the bad frame and the next one share a read.
    const readAfterError = (): boolean =>
      reader.events.some((event, index) => isMarket(event) && reader.parseErrorsAtRead[index]! > 0)
    await reader.until(readAfterError, 'a market event after the malformed frame')
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error
    throw new ConformanceFailure(`The stream threw on a malformed frame: ${String(error)}`)
  }
}

function withLimit<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceFailure(message)), ms)
  })
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}
