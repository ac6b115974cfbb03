/**
 * The `Nats-Msg-Id` of an event: a pure function of what the exchange said,
 * so the same event published twice — by a recorder restarted from its
 * checkpoint, or by a second recorder on the same symbols — has the same id,
 * and JetStream keeps it once within its duplicate window. The local receive
 * time is never part of it (two recorders receive at different times).
 *
 * | type | key |
 * | --- | --- |
 * | trade | exchange, symbol, trade id |
 * | bar | exchange, symbol, interval, open time; `closed`, or the update's exchange time |
 * | book | exchange, symbol, exchange time, snapshot or delta, and a hash of its levels: an exchange message is one event, and two recorders see the same one; two REST snapshots differ in content or time, so both are kept |
 * | quote, derivative, liquidation | exchange, symbol, exchange time, and a hash of the values |
 * | status | a `gap`: exchange, symbol, channel and range (two recorders missing the same range say it once); others: also the receive time and reason (they are facts about one recorder) |
 */
import { createHash } from 'node:crypto'
import type { MarketEvent } from '@dccd/core'

/**
 * @example messageId(trade) === 'binance|BTCUSDT|trade|123456'
 */
export function messageId(event: MarketEvent): string {
  const head = `${event.exchange}|${'symbol' in event ? (event.symbol ?? '') : ''}|${event.type}`
  switch (event.type) {
    case 'trade':
      return `${head}|${event.id}`
    case 'bar':
      return `${head}|${event.interval}|${event.openTime}|${event.closed ? 'closed' : event.timestamp}`
    case 'book':
      return `${head}|${event.timestamp}|${event.isSnapshot ? 's' : 'd'}|${digest(event.bids, event.asks)}`
    case 'quote':
      return `${head}|${event.timestamp}|${digest(event.bidPrice, event.bidAmount, event.askPrice, event.askAmount)}`
    case 'derivative':
      return `${head}|${event.timestamp}|${digest(event.markPrice, event.indexPrice, event.fundingRate, event.fundingTime, event.openInterest)}`
    case 'liquidation':
      return `${head}|${event.timestamp}|${digest(event.id, event.side, event.price, event.amount)}`
    case 'status':
      if (event.status === 'gap') return `${head}|gap|${event.channel ?? ''}|${event.fromId ?? ''}|${event.toId ?? ''}`
      return `${head}|${event.status}|${event.channel ?? ''}|${event.localTimestamp}|${digest(event.reason)}`
  }
}

/** A short hash of values (base64url of SHA-256, 128 bits): long level lists make short ids. */
function digest(...values: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22)
}
