/**
 * Options → stream names → connections. Pure.
 *
 * Binance rules applied here (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams):
 * at most 1024 streams per connection; stream names lower-case; a combined
 * stream URL `/stream?streams=a/b/…` subscribes without sending anything,
 * and what does not fit a sane URL is subscribed with SUBSCRIBE messages,
 * which count against 5 incoming messages per second (paced by the feed).
 */
import type { ParsedChannel } from '@dccd/core'
import { MAX_STREAMS_PER_CONNECTION, streamSymbol } from './capabilities.js'
import type { BinanceSubscribeMessage } from './wire.js'

/** URLs longer than this are avoided (common proxies and servers cap the request line near 8 KB). */
export const MAX_URL_LENGTH = 4096

/** Streams per SUBSCRIBE message (no documented cap; this keeps frames small). */
export const STREAMS_PER_SUBSCRIBE = 200

/** The streams one connection carries. A symbol's streams always share a connection. */
export interface Shard {
  /** Symbols whose streams are on this connection. */
  readonly symbols: string[]
  /** Stream names, lower-case (`btcusdt@trade`). */
  readonly streams: string[]
}

/** One connection's URL and what must be subscribed by message after it opens. */
export interface ConnectionPlan extends Shard {
  /** `…/stream?streams=…` */
  readonly url: string
  /** Streams not in the URL, subscribed by SUBSCRIBE messages on connect. */
  readonly subscribeLater: string[]
}

/** Stream name per channel: `trades` → `@trade`, `book` → `@depth@100ms`, `bars:1m` → `@kline_1m`. */
export function streamNamesFor(symbol: string, channels: readonly ParsedChannel[]): string[] {
  const s = streamSymbol(symbol)
  const names: string[] = []
  for (const channel of channels) {
    if (channel.kind === 'trades') names.push(`${s}@trade`)
    else if (channel.kind === 'book') names.push(`${s}@depth@100ms`)
    else names.push(`${s}@kline_${channel.interval}`)
  }
  return names
}

/**
 * Packs symbols into connections of at most `maxStreams` streams each, in order.
 *
 * @param maxStreams streams per connection, 1..1024. Default 1024.
 */
export function planShards(
  symbols: readonly string[],
  channels: readonly ParsedChannel[],
  maxStreams: number = MAX_STREAMS_PER_CONNECTION,
): Shard[] {
  const shards: Shard[] = []
  let current: Shard | undefined
  for (const symbol of symbols) {
    const streams = streamNamesFor(symbol, channels)
    if (current === undefined || current.streams.length + streams.length > maxStreams) {
      current = { symbols: [], streams: [] }
      shards.push(current)
    }
    current.symbols.push(symbol)
    current.streams.push(...streams)
  }
  return shards
}

/**
 * The combined-stream URL for a shard: as many streams as fit in
 * {@link MAX_URL_LENGTH} go in the URL, the rest are subscribed by message.
 *
 * @param wsBase base URL without a path (`wss://stream.binance.com:9443`)
 */
export function connectionPlan(wsBase: string, shard: Shard, maxUrlLength = MAX_URL_LENGTH): ConnectionPlan {
  let url = `${wsBase.replace(/\/+$/, '')}/stream?streams=`
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
