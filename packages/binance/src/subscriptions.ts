/**
 * Options → stream names → connections. Pure.
 *
 * Binance rules applied here (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams):
 * at most 1024 streams per connection; stream names lower-case; a combined
 * stream URL `/stream?streams=a/b/…` subscribes without sending anything,
 * and what does not fit a sane URL is subscribed with SUBSCRIBE messages,
 * which count against the host's incoming-message limit (spot 5/s, futures
 * 10/s; paced by the feed).
 *
 * USDⓈ-M futures serve streams on routed paths (`/public` for `@depth` and
 * `@bookTicker`, `/market` for `@aggTrade`, `@kline`, `@markPrice`,
 * `@forceOrder`); a stream asked for on the wrong path silently never
 * arrives, and un-routed URLs were retired on 2026-04-23. So a routed
 * market gets separate connections per path, each packed as above.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Important-WebSocket-Change-Notice
 */
import type { ChannelKind, ParsedChannel } from '@dccd/core'
import { MAX_STREAMS_PER_CONNECTION, streamSymbol } from './capabilities.js'
import type { BinanceMarket } from './market.js'
import { SPOT_MARKET } from './spot.js'
import type { BinanceSubscribeMessage } from './wire.js'

/** URLs longer than this are avoided (common proxies and servers cap the request line near 8 KB). */
export const MAX_URL_LENGTH = 4096

/** Streams per SUBSCRIBE message (no documented cap; this keeps frames small). */
export const STREAMS_PER_SUBSCRIBE = 200

/** The streams one connection carries. A symbol's streams of one path always share a connection. */
export interface Shard {
  /** Symbols whose streams are on this connection. */
  readonly symbols: string[]
  /** Stream names, lower-case (`btcusdt@trade`). */
  readonly streams: string[]
  /** The routed path (`/public`, `/market`) on a market that routes its streams. */
  readonly route?: string
  /** The channels it carries (`book`, `bars:1m`) when its symbols' other channels are on another path's connection. */
  readonly channels?: string[]
}

/** One connection's URL and what must be subscribed by message after it opens. */
export interface ConnectionPlan extends Shard {
  /** `…/stream?streams=…` */
  readonly url: string
  /** Streams not in the URL, subscribed by SUBSCRIBE messages on connect. */
  readonly subscribeLater: string[]
}

/**
 * Stream name per channel, by the market's names: spot `trades` → `@trade`, `book` → `@depth@100ms`,
 * `bars:1m` → `@kline_1m`; futures `trades` → `@aggTrade`, `quotes` → `@bookTicker`, `derivatives` →
 * `@markPrice@1s`, `liquidations` → `@forceOrder`.
 */
export function streamNamesFor(symbol: string, channels: readonly ParsedChannel[], market: BinanceMarket = SPOT_MARKET): string[] {
  const s = streamSymbol(symbol)
  const names: string[] = []
  for (const channel of channels) {
    names.push(channel.kind === 'bars' ? `${s}@kline_${channel.interval}` : `${s}${market.streams[channel.kind]}`)
  }
  return names
}

/**
 * Packs symbols into connections of at most `maxStreams` streams each, in order; on a market with
 * routed paths, one such set of connections per path its channels need.
 *
 * @param maxStreams streams per connection, 1..1024. Default 1024.
 */
export function planShards(
  symbols: readonly string[],
  channels: readonly ParsedChannel[],
  maxStreams: number = MAX_STREAMS_PER_CONNECTION,
  market: BinanceMarket = SPOT_MARKET,
): Shard[] {
  const routes = market.routes
  if (routes === undefined) return packShards(symbols, channels, maxStreams, market, {})
  const byRoute = new Map<string, ParsedChannel[]>()
  for (const channel of channels) {
    const route = routes[channel.kind]
    byRoute.set(route, [...(byRoute.get(route) ?? []), channel])
  }
  const split = byRoute.size > 1
  return [...byRoute].flatMap(([route, carried]) =>
    packShards(symbols, carried, maxStreams, market, split ? { route, channels: carried.map((channel) => channel.name) } : { route }),
  )
}

function packShards(
  symbols: readonly string[],
  channels: readonly ParsedChannel[],
  maxStreams: number,
  market: BinanceMarket,
  placement: Pick<Shard, 'route' | 'channels'>,
): Shard[] {
  const shards: Shard[] = []
  let current: Shard | undefined
  for (const symbol of symbols) {
    const streams = streamNamesFor(symbol, channels, market)
    if (current === undefined || current.streams.length + streams.length > maxStreams) {
      current = { symbols: [], streams: [], ...placement }
      shards.push(current)
    }
    current.symbols.push(symbol)
    current.streams.push(...streams)
  }
  return shards
}

/** True when a connection of `shard` carries channel kind `kind` (on an unrouted market: every kind). */
export function carries(shard: Shard, kind: ChannelKind, market: BinanceMarket): boolean {
  return shard.route === undefined || market.routes?.[kind] === shard.route
}

/**
 * The combined-stream URL for a shard: as many streams as fit in
 * {@link MAX_URL_LENGTH} go in the URL, the rest are subscribed by message.
 *
 * @param wsBase base URL without a path (`wss://stream.binance.com:9443`)
 */
export function connectionPlan(wsBase: string, shard: Shard, maxUrlLength = MAX_URL_LENGTH): ConnectionPlan {
  let url = `${wsBase.replace(/\/+$/, '')}${shard.route ?? ''}/stream?streams=`
  let inUrl = 0
  for (const stream of shard.streams) {
    const addition = inUrl === 0 ? stream : `/${stream}`
    // The first stream always goes in the URL: `/stream` with no streams is valid but idle.
    if (inUrl > 0 && url.length + addition.length > maxUrlLength) break
    url += addition
    inUrl++
  }
  return { ...shard, url, subscribeLater: shard.streams.slice(inUrl) }
}

/** SUBSCRIBE messages for `streams`, {@link STREAMS_PER_SUBSCRIBE} per message, ids from `firstId`. */
export function subscribeMessages(
  streams: readonly string[],
  firstId: number,
  perMessage = STREAMS_PER_SUBSCRIBE,
): BinanceSubscribeMessage[] {
  const messages: BinanceSubscribeMessage[] = []
  for (let i = 0; i < streams.length; i += perMessage) {
    messages.push({ method: 'SUBSCRIBE', params: streams.slice(i, i + perMessage), id: firstId + messages.length })
  }
  return messages
}
