/**
 * One conformance case: a fresh fake exchange replaying the session, feeds
 * created against it, and cleanup that never hangs.
 */
import type { ExchangeAdapter, Feed } from '@dccd/core'
import { FakeExchange } from '../fake-exchange.js'
import type { Replay, ReplayOptions } from '../replay.js'
import { loadSession, type SessionFrame } from '../session.js'
import { EventReader } from './event-reader.js'
import type { ResolvedConformanceOptions } from './options.js'

/** Short backoffs so reconnect clauses finish quickly; clauses override where they need more. */
const FAST_RECONNECT = { initialBackoffMs: 50, maxBackoffMs: 500, closeTimeoutMs: 500 }

export interface CaseContext {
  readonly fx: FakeExchange
  readonly replay: Replay
  readonly session: readonly SessionFrame[]
  /** createFeed with the case's URLs; `overrides` win over everything else. */
  createFeed(overrides?: Record<string, unknown>): Feed
  /** A reader over a new feed's stream. */
  read(overrides?: Record<string, unknown>): EventReader
}

export function sessionOf(options: ResolvedConformanceOptions): () => readonly SessionFrame[] {
  let cached: readonly SessionFrame[] | undefined
  return () => {
    if (cached !== undefined) return cached
    const { session } = options
    cached = Array.isArray(session) ? (session as readonly SessionFrame[]) : loadSession(session as string | URL)
    return cached
  }
}

/**
 * Runs `body` against a fresh fake exchange replaying `session` (with `replay`, default
 * `options.replay`) and serving its `rest` lines, after `options.setup`; then stops every feed
 * and closes the exchange, whatever happened.
 */
export async function withCase(
  exchange: ExchangeAdapter,
  options: ResolvedConformanceOptions,
  session: readonly SessionFrame[],
  body: (context: CaseContext) => Promise<void>,
  replayOptions: ReplayOptions | undefined = options.replay,
): Promise<void> {
  const fx = await FakeExchange.start()
  const feeds: Feed[] = []
  try {
    const replay = fx.replay(session, replayOptions)
    fx.restFromSession(session)
    await options.setup?.(fx)
    const createFeed = (overrides: Record<string, unknown> = {}): Feed => {
      const feed = exchange.createFeed({
        ...FAST_RECONNECT,
        ...options.feedOptions,
        symbols: options.symbols,
        channels: options.channels,
        wsUrl: fx.wsUrl + options.wsPath,
        restUrl: fx.restUrl,
        ...overrides,
      })
      feeds.push(feed)
      return feed
    }
    await body({
      fx,
      replay,
      session,
      createFeed,
      read: (overrides) => new EventReader(createFeed(overrides), options.timeoutMs),
    })
  } finally {
    // A broken stop() must not hang the run: give it a bound, then drop everything.
    await Promise.race([
      Promise.allSettled(feeds.map((feed) => feed.stop())),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ])
    await fx.close()
  }
}
