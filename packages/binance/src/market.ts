/**
 * One Binance market as the shared adapter code sees it. Spot, USDⓈ-M
 * futures and COIN-M futures stream the same way (combined streams, REST
 * depth snapshots, kline and trade histories, the same weight budget); what
 * differs is data: hosts and paths, stream names, the depth continuity rule,
 * weights and limits, a few frame fields. A market is this profile plus the
 * code that truly differs (futures/parse.ts for the payloads only futures
 * send). Profiles: spot.ts, futures/usdm.ts, futures/coinm.ts.
 */
import type { ChannelKind, MarketDescription } from '@dccd/core'
import type { DepthContinuity } from './depth-continuity.js'
import type { BinanceDialect } from './parse.js'
import type { BinanceRestEndpoints } from './rest.js'

/** A WebSocket and a REST base URL. */
export interface BinanceBaseUrls {
  readonly wsUrl: string
  readonly restUrl: string
}

/** What Binance allows per connection and per IP on a market's stream host. */
export interface BinanceConnectionLimits {
  /** Binance closes a connection carrying more streams. */
  readonly maxStreamsPerConnection: number
  /** Pace of SUBSCRIBE messages, kept under the host's incoming-message limit with room for pongs. */
  readonly controlMessagesPerSecond: number
  /** Connection attempts per IP per window, where Binance publishes a limit. */
  readonly connectionAttempts?: { readonly max: number; readonly windowMs: number }
  /** Binance drops every connection at this age (24 h). */
  readonly maxConnectionAgeMs: number
}

/** Stream name suffixes per channel kind the market offers (`bars` is `@kline_<interval>` everywhere). */
export type BinanceStreamNames = Readonly<Partial<Record<Exclude<ChannelKind, 'bars'>, string>>>

/** One Binance market: everything the shared adapter code needs to know about it. */
export interface BinanceMarket {
  /** Adapter id, `exchange` of every event. */
  readonly id: string
  readonly name: string
  /** Channel kinds offered (what `parseChannels` accepts). */
  readonly channels: readonly ChannelKind[]
  /** Kline intervals, case-sensitive (`1M` is a month). */
  readonly barIntervals: readonly string[]
  readonly exampleSymbol: string
  /** Offline symbol check, and how it reads in error messages (the valid forms). */
  readonly symbolFormat: RegExp
  readonly symbolFormatDescription: string
  /** Default endpoints; `testnet` where the adapter supports a test market. */
  readonly production: BinanceBaseUrls
  readonly testnet?: BinanceBaseUrls
  /** Path segments a `wsUrl`/`restUrl` must not already name: the adapter appends them. */
  readonly endpointPaths: readonly string[]
  /** Stream name suffix per channel kind: `@trade`, `@depth@100ms`… */
  readonly streams: BinanceStreamNames
  /**
   * WebSocket path per channel kind, for a host that serves streams on routed paths (USDⓈ-M
   * `/public`, `/market`: a stream asked for on the wrong path never arrives). Absent: one path.
   */
  readonly routes?: Readonly<Record<ChannelKind, string>>
  readonly limits: BinanceConnectionLimits
  /** How its frames differ from spot's. */
  readonly dialect: BinanceDialect
  /** How its diff-depth stream is proven contiguous. */
  readonly depthContinuity: DepthContinuity
  /** REST endpoints, weights and budget. */
  readonly rest: BinanceRestEndpoints
  /** What its amounts count (absent on spot: base units). */
  readonly market?: MarketDescription
}
