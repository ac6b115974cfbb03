/**
 * A generated session of normalized events, as an adapter emits them: per
 * symbol a book snapshot and deltas, consecutive trades, 1m bar updates
 * with a close each minute, and a status marker; then helpers that put them
 * into a JetStream stream the way the publisher does (JSON body, subject
 * from `subjectOf`, `Nats-Msg-Id` from `messageId`).
 */
import type { BarEvent, BookEvent, MarketEvent, TradeEvent } from '@dccd/core'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { JetStreamClient } from '@nats-io/jetstream'
import { connect, headers } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { messageId } from '../../src/message-id.js'
import { subjectOf } from '../../src/subject.js'

const T0 = 1_764_547_200_000_000 // 2025-12-01T00:00:00Z, µs
const MINUTE = 60_000_000

/** `trades` trades per symbol (ids `firstId`…), with a book and bars around them. */
export function generateSession(options: { symbols?: readonly string[]; trades?: number; firstId?: number; start?: number } = {}): MarketEvent[] {
  const { symbols = ['BTCUSDT', 'ETH/USDT'], trades = 100, firstId = 1, start = T0 } = options
  const events: MarketEvent[] = []
  for (const symbol of symbols) {
    const at = (i: number): { timestamp: number; localTimestamp: number } => ({ timestamp: start + i * 1_000_000, localTimestamp: start + i * 1_000_000 + 250 })
    events.push({ type: 'status', exchange: 'binance', symbol, status: 'connected', localTimestamp: start })
    events.push(book(symbol, true, 0, at(0)))
    for (let i = 0; i < trades; i++) {
      const trade: TradeEvent = { type: 'trade', exchange: 'binance', symbol, id: String(firstId + i), price: 100 + (i % 7) * 0.5, amount: 0.001 * (1 + (i % 5)), side: i % 3 === 0 ? 'sell' : 'buy', ...at(i + 1) }
      events.push(trade)
      if (i % 10 === 5) events.push(book(symbol, false, i, at(i + 1)))
      if (i % 20 === 0) events.push(bar(symbol, Math.floor((i * 1_000_000) / MINUTE), start, at(i + 1), false))
      if (i % 60 === 59) events.push(bar(symbol, Math.floor((i * 1_000_000) / MINUTE), start, at(i + 1), true))
    }
  }
  return events
}

function book(symbol: string, isSnapshot: boolean, i: number, time: { timestamp: number; localTimestamp: number }): BookEvent {
  return {
    type: 'book',
    exchange: 'binance',
    symbol,
    isSnapshot,
    bids: [{ price: 99 - (i % 3), amount: isSnapshot ? 1 : (i % 4) * 0.5 }],
    asks: [{ price: 101 + (i % 3), amount: 2 }],
    ...time,
  }
}

function bar(symbol: string, minute: number, start: number, time: { timestamp: number; localTimestamp: number }, closed: boolean): BarEvent {
  return { type: 'bar', exchange: 'binance', symbol, interval: '1m', openTime: start + minute * MINUTE, open: 100, high: 103, low: 99, close: 101, volume: 1.5, closed, ...time }
}

/** A client with the stream created (subjects `dccd.>`), after deleting the server's other streams (their subjects would overlap). */
export async function streamClient(url: string, stream = 'DCCD'): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
  const nc = await connect({ servers: url })
  const jsm = await jetstreamManager(nc)
  for await (const name of jsm.streams.names()) await jsm.streams.delete(name)
  await jsm.streams.add({ name: stream, subjects: ['dccd.>'] })
  return { nc, js: jetstream(nc) }
}

/** Publishes each event as the publisher does; resolves the stream sequence of the last one. */
export async function publishEvents(js: JetStreamClient, events: readonly MarketEvent[]): Promise<number> {
  let seq = 0
  for (const event of events) {
    const h = headers()
    h.set('Nats-Msg-Id', messageId(event))
    seq = (await js.publish(subjectOf(event), JSON.stringify(event), { headers: h })).seq
  }
  return seq
}

/** A consumer's state on the server (undefined when it does not exist). */
export async function consumerState(nc: NatsConnection, stream: string, name: string): Promise<{ ackPending: number; pending: number; ackFloor: number } | undefined> {
  const jsm = await jetstreamManager(nc)
  try {
    const info = await jsm.consumers.info(stream, name)
    return { ackPending: info.num_ack_pending, pending: info.num_pending, ackFloor: info.ack_floor.stream_seq }
  } catch {
    return undefined
  }
}

/** When the stream stored message `seq`. */
export async function storedTime(nc: NatsConnection, stream: string, seq: number): Promise<Date> {
  const stored = await (await jetstreamManager(nc)).streams.getMessage(stream, { seq })
  if (stored === null) throw new Error(`no message ${seq} in ${stream}`)
  return stored.time
}
