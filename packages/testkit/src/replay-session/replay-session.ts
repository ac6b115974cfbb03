/**
 * `replaySession`: a capture pushed through an adapter at full speed, as a
 * `Feed` whose stream ends when the capture is exhausted. The capture is
 * served by a `FakeExchange` on 127.0.0.1 (sockets routed by their path, REST
 * answered from the `rest` lines) and the adapter's own `createFeed` is
 * pointed at it, so the events are exactly what the adapter makes of those frames.
 */
import type { Feed, FeedOptions, FeedStats, MarketEvent, ResumePoints } from '@dccd/core'
import type { ExchangeAdapter } from '@dccd/core'
import type { CaptureFile, CaptureMeta } from '../capture/capture-file.js'
import { FakeExchange } from '../fake-exchange.js'
import type { SessionFrame } from '../session.js'
import { capturedConnections } from './captured-connections.js'
import { ConnectionRouter } from './connection-router.js'
import { ReplayEnd } from './replay-end.js'

/**
 * Options of {@link replaySession}: any of the adapter's feed options (`O`, its `createFeed` options;
 * `wsUrl` and `restUrl` are the replay's), plus the replay's own.
 */
export type ReplaySessionOptions<O extends FeedOptions = FeedOptions> = Partial<O> & ReplayOwnOptions

/** What {@link replaySession} takes besides feed options. */
interface ReplayOwnOptions {
  /**
   * Client messages sent within this long of their socket opening (capture time, ms) are the
   * handshake: the replay waits for the client to send as many before going on. Later ones
   * (heartbeats) are not waited for. Default 10000, the transport's default `pingIntervalMs`.
   */
  handshakeMs?: number
}

/** Fast reconnects: a capture that reconnected is replayed by closing the socket, and nobody should wait 1 s for that. */
const REPLAY_DEFAULTS = { initialBackoffMs: 10, maxBackoffMs: 100 }

/**
 * Replays a capture through `exchange`'s feed at full speed. `symbols` and `channels` default to
 * the capture's `meta` line, and so do its recorded feed options (`options` win). Same capture,
 * same adapter, same options: same events in the same order on each socket; only `localTimestamp`
 * differs, since it is when this run received the frame (exchange times are untouched).
 *
 * @example
 * const feed = replaySession(exchange, loadCapture('session.jsonl'))
 * for await (const event of feed.stream()) console.log(JSON.stringify(event))
 * @throws Error (from `stream()`) when neither `options` nor the capture name the symbols and channels;
 *   the adapter's `InvalidArgumentError` for options it rejects
 */
export function replaySession<O extends FeedOptions>(
  exchange: ExchangeAdapter<O>,
  capture: CaptureFile | readonly SessionFrame[],
  options: ReplaySessionOptions<O> = {} as ReplaySessionOptions<O>,
): Feed {
  const file = Array.isArray(capture) ? { frames: capture as SessionFrame[] } : (capture as CaptureFile)
  return new ReplayedFeed(exchange as unknown as ExchangeAdapter, file, options as ReplaySessionOptions)
}

class ReplayedFeed implements Feed {
  readonly exchange: string
  #inner: Feed | undefined
  #stopped = false

  constructor(
    private readonly adapter: ExchangeAdapter,
    private readonly capture: CaptureFile,
    private readonly options: ReplaySessionOptions,
  ) {
    this.exchange = adapter.id
  }

  get stats(): Readonly<FeedStats> {
    return this.#inner?.stats ?? { frames: 0, records: 0, parseErrors: 0, reconnects: 0 }
  }

  positions(): ResumePoints {
    return this.#inner?.positions() ?? {}
  }

  stream(): AsyncIterableIterator<MarketEvent> {
    return this.#run()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.#inner?.stop()
  }

  async *#run(): AsyncGenerator<MarketEvent> {
    const { meta, frames } = this.capture
    const { handshakeMs = 10_000, ...feedOptions } = this.options
    const symbols = feedOptions.symbols ?? meta?.symbols
    const channels = feedOptions.channels ?? meta?.channels
    if (symbols === undefined || channels === undefined) {
      throw new Error('replaySession needs symbols and channels: the capture has no meta line naming them')
    }
    if (this.#stopped) return
    const fx = await FakeExchange.start()
    const router = new ConnectionRouter(capturedConnections(frames, handshakeMs))
    fx.onConnection((connection) => router.attach(connection))
    fx.restFromSession(frames)
    const end = new ReplayEnd(router, () => this.#inner, () => fx.restRequests.length)
    try {
      const feed = this.adapter.createFeed({
        ...REPLAY_DEFAULTS,
        validateSymbols: false,
        ...meta?.options,
        ...feedOptions,
        symbols: [...symbols],
        channels: [...channels] as FeedOptions['channels'],
        wsUrl: fx.wsUrl + basePath(meta?.wsUrl),
        restUrl: fx.restUrl + basePath(meta?.restUrl),
      })
      this.#inner = feed
      if (this.#stopped) return
      const events = feed.stream()
      let pending = events.next()
      for (;;) {
        const result = await Promise.race([pending, end.ended.then(() => 'end' as const)])
        if (result === 'end') {
          // Stopping the feed below settles the read still pending; nothing is left to read from it.
          pending.catch(() => {})
          return
        }
        if (result.done === true) return
        end.activity()
        pending = events.next()
        yield result.value
      }
    } finally {
      end.cancel()
      router.stop()
      await this.#inner?.stop()
      await fx.close()
    }
  }
}

/** The path of a captured base URL (`wss://host/ws` → `/ws`), so replayed sockets and requests keep it. */
function basePath(base: CaptureMeta['wsUrl'] | undefined): string {
  return base === undefined ? '' : new URL(base).pathname.replace(/\/+$/, '')
}
