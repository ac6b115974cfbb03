/**
 * Kraken v2 frames → typed messages and normalized events (pure, synchronous).
 * Timestamps go through core's `isoToMicros`, which reads the fraction as
 * digits: v2 sends 6 or 9 fractional digits (protocols §2.9) and a float
 * would lose the last ones.
 */
import { isoToMicros, isPlausibleExchangeTime, microsToIso } from '@dccd/core'
import type { TradeEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import type { KrakenAck, KrakenMessage, KrakenStatusMessage, KrakenTrade, KrakenTradeMessage } from './wire.js'


/** What a frame turned out to be: a channel message or a request acknowledgement. */
export type KrakenFrame = KrakenMessage | KrakenAck

/**
 * Parses one text frame.
 *
 * @throws SyntaxError for invalid JSON; TypeError for JSON that is neither a
 *   channel message nor an acknowledgement (the base counts both as parse errors)
 */
export function parseFrame(raw: string): KrakenFrame {
  const frame: unknown = JSON.parse(raw)
  if (typeof frame === 'object' && frame !== null) {
    const record = frame as Record<string, unknown>
    if (typeof record.channel === 'string') {
      if (record.channel === 'heartbeat' || Array.isArray(record.data) || isObject(record.data)) {
        return frame as KrakenMessage
      }
    } else if (typeof record.method === 'string') {
      return frame as KrakenAck
    }
  }
  throw new TypeError(`Not a Kraken v2 message: ${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}`)
}

/** True for a channel message (as opposed to an acknowledgement). */
export function isChannelMessage(frame: KrakenFrame): frame is KrakenMessage {
  return 'channel' in frame
}

/**
 * `trade` message → trade events, in message order. The id is Kraken's
 * `trade_id`, the side the taker's, the timestamp exact to the µs.
 *
 * @param receivedAt local receive time, µs
 * @throws TypeError when a trade lacks a symbol, an integer `trade_id`, a
 *   numeric price or qty, or a timestamp (the whole frame is then a parse
 *   error): a trade with id `"undefined"` would reach the consumer, and its NaN
 *   id would blind the hole check after the next reconnect
 */
export function tradeEvents(message: KrakenTradeMessage, receivedAt: number): TradeEvent[] {
  const data = message.data
  if (!Array.isArray(data)) throw new TypeError(`Kraken trade data is not an array: ${preview(data)}`)
  const events: TradeEvent[] = new Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const trade = data[i]!
    if (!isTrade(trade)) throw new TypeError(`Not a Kraken v2 trade: ${preview(trade)}`)
    const timestamp = exchangeTime(trade.timestamp, receivedAt)
    events[i] = {
      type: 'trade',
      exchange: EXCHANGE_ID,
      symbol: trade.symbol,
      id: String(trade.trade_id),
      price: trade.price,
      amount: trade.qty,
      side: trade.side === 'buy' || trade.side === 'sell' ? trade.side : 'unknown',
      timestamp,
      localTimestamp: receivedAt,
    }
  }
  return events
}

/**
 * An RFC 3339 exchange time → µs, when it is plausible (core's `isPlausibleExchangeTime`:
 * from 2009 to a day after the receive time).
 *
 * @throws TypeError (or InvalidArgumentError for a string that is no timestamp) otherwise
 */
export function exchangeTime(iso: string, receivedAt: number): number {
  return plausibleTime(isoToMicros(iso), receivedAt, iso)
}

/**
 * {@link exchangeTime} for a time already read (the book scan's).
 *
 * @param text the time as Kraken wrote it, for the error (default: `micros` written out)
 * @throws TypeError when it is not plausible
 */
export function plausibleTime(micros: number, receivedAt: number, text?: string): number {
  if (!isPlausibleExchangeTime(micros, receivedAt)) throw new TypeError(`Implausible Kraken timestamp ${preview(text ?? microsToIso(micros))}`)
  return micros
}

/** The engine state from a `status` message (`online`, `maintenance`, `cancel_only`, `post_only`). */
export function systemStatus(message: KrakenStatusMessage): string | undefined {
  return message.data[0]?.system
}

/** A failed acknowledgement's message, or `undefined` when the request succeeded. */
export function ackError(ack: KrakenAck): string | undefined {
  if (ack.success !== false) return undefined
  return typeof ack.error === 'string' && ack.error.length > 0 ? ack.error : 'request failed'
}

function isTrade(trade: KrakenTrade): boolean {
  return (
    isObject(trade) &&
    typeof trade.symbol === 'string' &&
    Number.isSafeInteger(trade.trade_id) &&
    trade.trade_id >= 0 &&
    Number.isFinite(trade.price) &&
    Number.isFinite(trade.qty) &&
    typeof trade.timestamp === 'string'
  )
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null
}
