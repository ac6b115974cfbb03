/**
 * Journal records → table rows, per data type. The journal keeps the
 * normalized events as they arrived; rows are derived only when a segment
 * is sealed, so a recovered journal produces exactly the rows the live run
 * would have.
 */
import type { BarEvent, BookEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { derivativeRow, liquidationRow, quoteRow } from './derivative-rows.js'
import type { DataType } from './partition.js'

/** A row: column name → value (µs integers for timestamps, null for missing). */
export type Row = Record<string, string | number | boolean | null>

/** What the journal holds for `book-snapshots`: the top levels as `[price, amount]` pairs. */
export interface BookSnapshotRecord {
  readonly exchange: string
  readonly symbol: string
  readonly timestamp: number
  readonly localTimestamp: number
  readonly bids: [number, number][]
  readonly asks: [number, number][]
}

function tradeRow(e: TradeEvent): Row {
  return {
    timestamp: e.timestamp,
    localTimestamp: e.localTimestamp,
    exchange: e.exchange,
    symbol: e.symbol,
    id: e.id,
    side: e.side,
    price: e.price,
    amount: e.amount,
  }
}

function barRow(e: BarEvent): Row {
  return {
    timestamp: e.timestamp,
    localTimestamp: e.localTimestamp,
    exchange: e.exchange,
    symbol: e.symbol,
    interval: e.interval,
    openTime: e.openTime,
    open: e.open,
    high: e.high,
    low: e.low,
    close: e.close,
    volume: e.volume,
    closed: e.closed,
  }
}

function statusRow(e: StatusEvent): Row {
  return {
    timestamp: e.localTimestamp,
    localTimestamp: e.localTimestamp,
    exchange: e.exchange,
    symbol: e.symbol ?? 'all',
    status: e.status,
    channel: e.channel ?? null,
    reason: e.reason ?? null,
    fromId: e.fromId ?? null,
    toId: e.toId ?? null,
  }
}

function pushBookRows(rows: Row[], e: BookEvent, eventIndex: number): void {
  // Bids then asks, each in the exchange's order: applying them in row order is applying the message.
  for (const [side, levels] of [['bid', e.bids], ['ask', e.asks]] as const) {
    for (const level of levels) {
      rows.push({
        timestamp: e.timestamp,
        localTimestamp: e.localTimestamp,
        exchange: e.exchange,
        symbol: e.symbol,
        eventIndex,
        isSnapshot: e.isSnapshot,
        side,
        price: level.price,
        amount: level.amount,
      })
    }
  }
}

function snapshotRow(r: BookSnapshotRecord, depth: number): Row {
  const row: Row = {
    timestamp: r.timestamp,
    localTimestamp: r.localTimestamp,
    exchange: r.exchange,
    symbol: r.symbol,
  }
  for (const [side, levels] of [['bid', r.bids], ['ask', r.asks]] as const) {
    for (let i = 0; i < depth; i++) {
      const level = levels[i]
      row[`${side}Price${i}`] = level ? level[0] : null
      row[`${side}Amount${i}`] = level ? level[1] : null
    }
  }
  return row
}

/**
 * Rows of one record. `eventIndex` numbers book messages within a file.
 * Throws (a TypeError, say) when the record does not have its type's shape.
 */
export function recordRows(type: DataType, record: unknown, depth = 0, eventIndex = 0): Row[] {
  if (typeof record !== 'object' || record === null) throw new TypeError(`a ${type} record must be an object, not ${JSON.stringify(record)}`)
  if (type === 'book') {
    const rows: Row[] = []
    pushBookRows(rows, record as BookEvent, eventIndex)
    return rows
  }
  if (type === 'trades') return [tradeRow(record as TradeEvent)]
  if (type === 'status') return [statusRow(record as StatusEvent)]
  if (type === 'quotes') return [quoteRow(record)]
  if (type === 'derivatives') return [derivativeRow(record)]
  if (type === 'liquidations') return [liquidationRow(record)]
  if (type === 'book-snapshots') return [snapshotRow(record as BookSnapshotRecord, depth)]
  return [barRow(record as BarEvent)]
}

/** Rows for the records of one segment, in order. */
export function toRows(type: DataType, records: readonly unknown[], depth = 0): Row[] {
  const rows: Row[] = []
  let eventIndex = 0
  for (const record of records) {
    for (const row of recordRows(type, record, depth, eventIndex++)) rows.push(row)
  }
  return rows
}
