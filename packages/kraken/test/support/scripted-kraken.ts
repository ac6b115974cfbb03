/** A tiny scripted Kraken v2 server on the fake exchange: answers requests as they arrive. */
import type { FakeConnection, FakeExchange } from '@dccd/testkit'
import { crc32 } from 'node:zlib'

export interface KrakenRequestJson {
  method: string
  params?: { channel: string; symbol?: string[]; depth?: number; interval?: number; snapshot?: boolean }
  req_id?: number
}

export const PAIRS = [
  { symbol: 'BTC/USD', base: 'BTC', quote: 'USD', status: 'online', price_precision: 1, qty_precision: 8 },
  { symbol: 'ETH/USD', base: 'ETH', quote: 'USD', status: 'online', price_precision: 2, qty_precision: 8 },
]

/**
 * A BTC/USD book message leaving one level per side (bid, ask; qty 1) with a correct checksum
 * (precision 1 / 8). An update also removes `previousBid`.
 */
export function btcBook(type: 'snapshot' | 'update', bid: number, ask: number, previousBid?: number): object {
  const digits = (value: number, precision: number) => value.toFixed(precision).replace('.', '').replace(/^0+/, '')
  const checksum = crc32(digits(ask, 1) + digits(1, 8) + digits(bid, 1) + digits(1, 8)) >>> 0
  const bids = previousBid === undefined ? [{ price: bid, qty: 1 }] : [{ price: previousBid, qty: 0 }, { price: bid, qty: 1 }]
  return { channel: 'book', type, data: [{ symbol: 'BTC/USD', bids, asks: [{ price: ask, qty: 1 }], checksum, timestamp: '2024-05-06T07:08:09.123456Z' }] }
}

/**
 * On every connection: a status frame, the instrument snapshot (listing `pairs`) when asked,
 * and `onRequest` for every other client message.
 */
export function scriptKraken(
  fx: FakeExchange,
  onRequest: (connection: FakeConnection, request: KrakenRequestJson) => void,
  pairs: readonly object[] = PAIRS,
): void {
  fx.onConnection((connection) => {
    connection.send({ channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'online', version: '2.0.0' }] })
    connection.forEachMessage((text) => {
      const request = JSON.parse(text) as KrakenRequestJson
      if (request.params?.channel === 'instrument') {
        connection.send({ method: 'subscribe', result: { channel: 'instrument', snapshot: true }, success: true, req_id: request.req_id })
        connection.send({ channel: 'instrument', type: 'snapshot', data: { assets: [], pairs } })
      } else {
        onRequest(connection, request)
      }
    })
  })
}

/** The success ack Kraken sends per symbol. */
export function ackFor(request: KrakenRequestJson, symbol: string): object {
  return { method: request.method, result: { channel: request.params!.channel, symbol }, success: true, req_id: request.req_id }
}
