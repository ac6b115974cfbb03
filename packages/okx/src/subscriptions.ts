/**
 * Options → subscribe frames (pure).
 * TODO(new adapter): the exchange's real subscription messages.
 */
import type { Subscriptions } from '@dccd/core'

/** The subscriptions sent on every (re)connect: one message per channel, listing every symbol. */
export function subscribeMessages(symbols: readonly string[], subscribed: Subscriptions): object[] {
  const messages: object[] = []
  if (subscribed.hasChannel('trades')) messages.push({ op: 'subscribe', channel: 'trades', symbols })
  if (subscribed.hasChannel('book')) messages.push({ op: 'subscribe', channel: 'book', symbols })
  return messages
}

/** Takes one symbol's book again: the exchange answers with a fresh snapshot. */
export function resubscribeBook(symbol: string): object[] {
  return [
    { op: 'unsubscribe', channel: 'book', symbols: [symbol] },
    { op: 'subscribe', channel: 'book', symbols: [symbol] },
  ]
}
