/**
 * __CLASS__: the transport base owns sockets, reconnects, liveness and the
 * queue; this class supplies the URL, the subscriptions and the parser.
 */
import { checkSymbolFormat, checkSymbolsListed, nowMicros, parseChannels } from '@dccd/core'
import type { Feed, FeedOptions, MarketEvent } from '@dccd/core'
import { RestClient, WebSocketBase } from '@dccd/transport'
import type { Connection, FrameContext } from '@dccd/transport'
import { parseFrame } from './parse.js'

/** Options of {@link __CLASS__}. */
export interface __CLASS__Options extends FeedOptions {}

// TODO(new adapter): the exchange's production endpoint and symbol format.
const DEFAULT_WS_URL = 'wss://example.invalid/ws'
const DEFAULT_REST_URL = 'https://example.invalid'
const SYMBOL_FORMAT = /^[A-Z0-9]{2,20}$/

/** Streams __NAME__ market data as normalized events. */
export class __CLASS__ extends WebSocketBase<MarketEvent> implements Feed {
  readonly exchange = '__ID__'
  readonly #symbols: string[]
  readonly #rest: RestClient
  readonly #validateSymbols: boolean

  /** @throws InvalidArgumentError for a malformed symbol or an unknown channel, before any network use */
  constructor(options: __CLASS__Options) {
    const symbols = checkSymbolFormat(options.symbols, SYMBOL_FORMAT, 'upper-case letters and digits like BTCUSDT')
    parseChannels(options.channels, { id: '__ID__', channels: ['trades'], barIntervals: [] })
    super(options.wsUrl ?? DEFAULT_WS_URL, options)
    this.#symbols = symbols
    this.#rest = new RestClient({ baseUrl: options.restUrl ?? DEFAULT_REST_URL, exchange: '__ID__', logger: this.logger })
    this.#validateSymbols = options.validateSymbols ?? (options.wsUrl === undefined && options.restUrl === undefined)
  }

  /** Unknown symbols never produce data on most exchanges: check the listing before connecting. */
  protected override async beforeConnect(): Promise<void> {
    if (!this.#validateSymbols) return
    const listed = await this.#rest.getJson<string[]>('/api/symbols')
    checkSymbolsListed(this.exchange, this.#symbols, new Set(listed))
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    this.push({ type: 'status', exchange: this.exchange, status: 'connected', localTimestamp: nowMicros() })
    await connection.send({ op: 'subscribe', channel: 'trades', symbols: this.#symbols })
  }

  protected override onDisconnect(_connection: Connection, reason: string): void {
    this.push({ type: 'status', exchange: this.exchange, status: 'disconnected', reason, localTimestamp: nowMicros() })
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] {
    return parseFrame(raw, context.receivedAt)
  }
}
