/**
 * `__CLASS__`: `MarketFeed` (transport) owns sockets, reconnects, liveness,
 * markers and trade continuity; this class adds __NAME__: the URL and
 * subscriptions, the parser, one `BookSync` per symbol and the resubscription
 * that answers a book break.
 */
import { checkSymbolsListed, nowMicros, silentLogger } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { MarketFeed } from '@dccd/transport'
import type { Connection, FrameContext, RestClient } from '@dccd/transport'
import { BookSync } from './book-sync.js'
import { EXCHANGE_ID } from './capabilities.js'
import { resolveOptions } from './options.js'
import type { __CLASS__Options, Resolved__CLASS__Options } from './options.js'
import { parseFrame } from './parse.js'
import { createRestClient, fetchSymbols } from './rest.js'
import { resubscribeBook, subscribeMessages } from './subscriptions.js'
import { tradeHistory } from './trades.js'

/**
 * Streams __NAME__ market data as normalized events. Usually created through `exchange.createFeed(options)`.
 *
 * @throws InvalidArgumentError (synchronously) for a malformed symbol, an unknown channel or a bad option
 */
export class __CLASS__ extends MarketFeed {
  readonly #config: Resolved__CLASS__Options
  readonly #rest: RestClient
  readonly #books = new Map<string, BookSync>()

  constructor(options: __CLASS__Options) {
    const config = resolveOptions(options)
    const rest = createRestClient(config.restUrl, options.logger ?? silentLogger)
    super(
      {
        exchange: EXCHANGE_ID,
        slots: [{ url: config.wsEndpoint, symbols: config.symbols }],
        trades: { history: config.recoverTrades ? tradeHistory(rest) : undefined, maxRecoveredTrades: config.maxRecoveredTrades },
        // TODO(new adapter): `bars: { history }` with the exchange's kline REST history (a core BarHistorySource),
        // so missed closes are recovered; without it bar updates are only de-duplicated.
        resume: config.resume,
        maxResumeAgeMs: config.maxResumeAgeMs,
      },
      options,
    )
    this.#config = config
    this.#rest = rest
    if (config.subscribed.hasChannel('book')) for (const symbol of config.symbols) this.#books.set(symbol, new BookSync(symbol))
  }

  /** Unknown symbols never produce data on most exchanges: check the listing before connecting. */
  protected override async beforeConnect(): Promise<void> {
    if (!this.#config.validateSymbols) return
    checkSymbolsListed(EXCHANGE_ID, this.#config.symbols, new Set(await fetchSymbols(this.#rest, this.signal)))
  }

  // TODO(new adapter): a venue that wants an application-level ping (OKX's text `ping`, Kraken's
  // `{"method":"ping"}`) overrides `sendHeartbeat(connection)`; the default is a WebSocket ping frame.

  protected override async onConnect(connection: Connection): Promise<void> {
    for (const message of subscribeMessages(this.#config.symbols, this.#config.subscribed)) await connection.send(message)
  }

  /** Books resync from the next snapshot the resubscription brings. */
  protected override onStreamLost(_slot: number, reason: string): MarketEvent[] {
    const out: MarketEvent[] = []
    for (const book of this.#books.values()) book.invalidate(`connection lost: ${reason}`, nowMicros(), out)
    return out
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    const message = parseFrame(raw, context.receivedAt)
    const out: MarketEvent[] = []
    if (message.type === 'trades') {
      for (const trade of message.trades) {
        this.#config.subscribed.check('trades', trade.symbol)
        this.acceptTrade(trade, out)
      }
    } else if (message.type === 'book') {
      this.#config.subscribed.check('book', message.symbol)
      if (this.#books.get(message.symbol)!.onMessage(message, out) === 'resync') {
        for (const request of resubscribeBook(message.symbol)) void context.connection.send(request)
      }
    } else if (message.ack.event === 'error') {
      this.logger.warn('subscription refused', { message: message.ack.message })
    }
    return out
  }
}
