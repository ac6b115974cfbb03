/** Clauses about bad input: rejected with InvalidArgumentError, before the network is touched. */
import type { ExchangeAdapter, Feed, MarketEvent } from '@dccd/core'
import { ConformanceFailure } from './event-reader.js'
import type { CaseContext } from './harness.js'
import type { ResolvedConformanceOptions } from './options.js'

const INVALID_ARGUMENT = 'DCCD_INVALID_ARGUMENT'

/** Checks an error is an InvalidArgumentError (by code) whose message names `value`. */
function checkInvalidArgument(error: unknown, value: string, what: string): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (code !== INVALID_ARGUMENT) {
    throw new ConformanceFailure(`${what} threw ${String(error)} with code ${String(code)}, not ${INVALID_ARGUMENT}`)
  }
  if (typeof message !== 'string' || !message.includes(value)) {
    throw new ConformanceFailure(`The error for ${what} does not name ${JSON.stringify(value)}: ${String(message)}`)
  }
  return message
}

function rejectsOffline(context: CaseContext, overrides: Record<string, unknown>, value: string, what: string): string {
  let feed: Feed | undefined
  let message: string
  try {
    feed = context.createFeed(overrides)
  } catch (error) {
    message = checkInvalidArgument(error, value, `createFeed with ${what}`)
  }
  if (feed !== undefined) throw new ConformanceFailure(`createFeed accepted ${what} ${JSON.stringify(value)}`)
  const { fx } = context
  if (fx.upgradeAttempts > 0 || fx.restRequests.length > 0) {
    throw new ConformanceFailure(`createFeed with ${what} touched the network before rejecting it`)
  }
  return message!
}

export async function unknownChannelRejected(context: CaseContext, exchange: ExchangeAdapter): Promise<void> {
  const channel = 'no-such-channel'
  const message = rejectsOffline(context, { channels: [channel] }, channel, 'an unknown channel')
  const missing = exchange.channels.filter((kind) => !message.includes(kind))
  if (missing.length > 0) {
    throw new ConformanceFailure(`The error for an unknown channel does not list ${missing.join(', ')}: ${message}`)
  }
}

export async function unknownIntervalRejected(context: CaseContext, exchange: ExchangeAdapter): Promise<void> {
  let interval = '13q'
  while (exchange.barIntervals.includes(interval)) interval += 'q'
  rejectsOffline(context, { channels: [`bars:${interval}`] }, interval, 'an unknown bar interval')
}

export async function malformedSymbolRejected(context: CaseContext, options: ResolvedConformanceOptions): Promise<void> {
  rejectsOffline(context, { symbols: [options.malformedSymbol] }, options.malformedSymbol, 'a malformed symbol')
}

export async function unknownSymbolRejected(context: CaseContext, options: ResolvedConformanceOptions): Promise<void> {
  const symbol = options.unknownSymbol
  const what = 'an unknown symbol'
  let feed: Feed
  try {
    feed = context.createFeed({ symbols: [symbol], validateSymbols: true })
  } catch (error) {
    // Rejecting it even earlier (an offline list) also keeps data from flowing.
    checkInvalidArgument(error, symbol, `createFeed with ${what}`)
    return
  }
  const iterator = feed.stream()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConformanceFailure(`The stream did not reject ${what} within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    )
  })
  try {
    for (;;) {
      let result: IteratorResult<MarketEvent>
      try {
        result = await Promise.race([iterator.next(), timeout])
      } catch (error) {
        if (error instanceof ConformanceFailure) throw error
        checkInvalidArgument(error, symbol, `the stream of ${what}`)
        return
      }
      if (result.done === true) throw new ConformanceFailure(`The stream ended without rejecting ${what}`)
      if (result.value.type !== 'status') {
        throw new ConformanceFailure(`A ${result.value.type} event flowed before ${what} was rejected`)
      }
    }
  } finally {
    clearTimeout(timer)
  }
}
