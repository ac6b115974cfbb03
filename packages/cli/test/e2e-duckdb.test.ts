// DuckDB as an independent reader of what `dccd record` writes. The other
// tests read files back with hyparquet, the family of the library that wrote
// them, so a shared misreading of the format would go unnoticed there; here a
// separate Parquet implementation must see the same types, rows and values,
// and the queries the README promises must work on the files as they are.
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { basicEvents, derivativeEvents, fakexProject, T0, writeScript } from './helpers/fakex.js'
import { runDccd } from './helpers/spawn.js'

// What DuckDB reports for Parquet INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true).
// A plain `TIMESTAMP` here would mean the UTC flag was lost in the footer.
const TIMESTAMPTZ = 'TIMESTAMP WITH TIME ZONE'

const TIMES = [`timestamp ${TIMESTAMPTZ}`, `localTimestamp ${TIMESTAMPTZ}`, 'exchange VARCHAR', 'symbol VARCHAR']

/** `name TYPE` of every column, in file order, per data type (the path segment). */
const DUCKDB_COLUMNS: Record<string, string[]> = {
  trades: [...TIMES, 'id VARCHAR', 'side VARCHAR', 'price DOUBLE', 'amount DOUBLE'],
  book: [...TIMES, 'eventIndex BIGINT', 'isSnapshot BOOLEAN', 'side VARCHAR', 'price DOUBLE', 'amount DOUBLE'],
  'bars-1m': [
    ...TIMES,
    'interval VARCHAR',
    `openTime ${TIMESTAMPTZ}`,
    'open DOUBLE',
    'high DOUBLE',
    'low DOUBLE',
    'close DOUBLE',
    'volume DOUBLE',
    'closed BOOLEAN',
  ],
  'book-snapshots': [...TIMES, ...['bid', 'ask'].flatMap((side) => [0, 1, 2].flatMap((i) => [`${side}Price${i} DOUBLE`, `${side}Amount${i} DOUBLE`]))],
  status: [...TIMES, 'status VARCHAR', 'channel VARCHAR', 'reason VARCHAR', 'fromId VARCHAR', 'toId VARCHAR'],
  quotes: [...TIMES, 'bidPrice DOUBLE', 'bidAmount DOUBLE', 'askPrice DOUBLE', 'askAmount DOUBLE'],
  derivatives: [...TIMES, 'markPrice DOUBLE', 'indexPrice DOUBLE', 'fundingRate DOUBLE', `fundingTime ${TIMESTAMPTZ}`, 'openInterest DOUBLE'],
  liquidations: [...TIMES, 'id VARCHAR', 'side VARCHAR', 'price DOUBLE', 'amount DOUBLE'],
}

const BAR_OPEN = T0 - (T0 % 60_000_000)

/** Two updates of one 1m bar, the second one final. */
function barEvents(): Record<string, unknown>[] {
  const bar = { type: 'bar', exchange: 'fakex', symbol: 'BTCUSD', interval: '1m', openTime: BAR_OPEN, open: 100, low: 100 }
  return [
    { ...bar, high: 100.5, close: 100.5, volume: 0.25, closed: false, timestamp: T0 + 200_000 },
    { ...bar, high: 100.5, close: 100.25, volume: 1.75, closed: true, timestamp: T0 + 300_001 },
  ]
}

/** A SQL string literal. */
function sql(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/** DuckDB BIGINTs arrive as bigint; µs timestamps and indexes are safe integers, so Number is exact. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value]))
}

type Level = [price: number, amount: number]

/**
 * Replays book rows (already in replay order) by the rule schema.ts
 * documents: a snapshot row starting a new event clears the book, then every
 * row sets its level, amount 0 removing it. Returns bids high→low, asks low→high.
 */
function replayBook(rows: Record<string, unknown>[]): { bids: Level[]; asks: Level[] } {
  const book = { bid: new Map<number, number>(), ask: new Map<number, number>() }
  let lastEvent: unknown
  for (const row of rows) {
    const event = `${String(row.filename)}#${String(row.eventIndex)}`
    if (row.isSnapshot === true && event !== lastEvent) {
      book.bid.clear()
      book.ask.clear()
    }
    lastEvent = event
    const side = book[row.side as 'bid' | 'ask']
    if (row.amount === 0) side.delete(row.price as number)
    else side.set(row.price as number, row.amount as number)
  }
  return {
    bids: [...book.bid].sort((a, b) => b[0] - a[0]),
    asks: [...book.ask].sort((a, b) => a[0] - b[0]),
  }
}

describe('Parquet written by dccd record, read by DuckDB', { timeout: 60_000 }, () => {
  let out: string
  let instance: DuckDBInstance
  let connection: DuckDBConnection

  async function query(text: string): Promise<Record<string, unknown>[]> {
    return (await connection.runAndReadAll(text)).getRowObjectsJS().map(plain)
  }

  /** `name TYPE` of every column of one file, as DuckDB types it. */
  async function describeFile(file: string): Promise<string[]> {
    const rows = await query(`DESCRIBE SELECT * FROM read_parquet(${sql(file)})`)
    return rows.map((r) => `${String(r.column_name)} ${String(r.column_type)}`)
  }

  /** Every row of one file in file order; timestamps as integer µs, like readDataFile gives them. */
  async function duckRows(file: string): Promise<Record<string, unknown>[]> {
    const columns = (await describeFile(file)).map((c) => {
      const [name] = c.split(' ')
      return c.endsWith(TIMESTAMPTZ) ? `epoch_us("${name}") AS "${name}"` : `"${name}"`
    })
    return query(`SELECT ${columns.join(', ')} FROM read_parquet(${sql(file)}, file_row_number = true) ORDER BY file_row_number`)
  }

  function fileOf(type: string, symbol: string): string {
    const files = listDataFiles(out).filter((f) => f.includes(`/fakex/${type}/${symbol}/`))
    expect(files).toHaveLength(1)
    return files[0]!
  }

  beforeAll(async () => {
    const cwd = fakexProject()
    // BTCUSD replays fixed events at once; the ETHUSD live trades keep the
    // feed open until --duration, which gives the 100 ms book snapshots time
    // to fire (a feed that ends stops the recording before the first one).
    const url = writeScript(cwd, { events: [...basicEvents(), ...barEvents(), ...derivativeEvents()], liveTrades: { symbol: 'ETHUSD', everyMs: 20 } })
    const channels = 'trades,book,bars:1m,quotes,derivatives,liquidations'
    const args = ['record', 'fakex', 'BTCUSD', 'ETHUSD', '--channels', channels, '--book-snapshots', '100ms:3']
    const result = await runDccd([...args, '--out', 'data', '--ws-url', url, '--duration', '1s'], cwd)
    expect(result.stderr).toContain('rows sealed under data')
    expect(result.code).toBe(0)
    out = join(cwd, 'data')
    instance = await DuckDBInstance.create(':memory:')
    connection = await instance.connect()
  })

  afterAll(() => {
    connection?.closeSync()
    instance?.closeSync()
  })

  it('wrote one Parquet file per stream, book snapshots, quotes, derivatives and liquidations included', () => {
    const streams = listDataFiles(out).map((f) => f.slice(out.length + 1).split('/').slice(0, 3).join('/'))
    expect(streams).toEqual([
      'fakex/bars-1m/BTCUSD',
      'fakex/book-snapshots/BTCUSD',
      'fakex/book/BTCUSD',
      'fakex/derivatives/BTCUSD',
      'fakex/liquidations/BTCUSD',
      'fakex/quotes/BTCUSD',
      'fakex/status/all',
      'fakex/trades/BTCUSD',
      'fakex/trades/ETHUSD',
    ])
    expect(listDataFiles(out).every((f) => f.endsWith('.parquet'))).toBe(true)
  })

  it('types every column as the Parquet logical type it was written as', async () => {
    for (const file of listDataFiles(out)) {
      const type = file.slice(out.length + 1).split('/')[1]!
      expect(await describeFile(file), file).toEqual(DUCKDB_COLUMNS[type])
    }
  })

  it('reads the same rows and values as hyparquet, file by file', async () => {
    for (const file of listDataFiles(out)) {
      const hyparquet = await readDataFile(file)
      const duck = await duckRows(file)
      expect(duck.length, file).toBeGreaterThan(0)
      expect(duck.length, file).toBe(hyparquet.totalRows)
      expect(duck, file).toEqual(hyparquet.rows)
      expect(Object.keys(duck[0]!), file).toEqual(hyparquet.columns)
    }
  })

  it('reads the scripted trades, book, bars and status to the µs', async () => {
    const trades = await duckRows(fileOf('trades', 'BTCUSD'))
    expect(trades.map(({ localTimestamp: _l, ...rest }) => rest)).toEqual([
      { timestamp: T0 + 200_000, exchange: 'fakex', symbol: 'BTCUSD', id: '1', side: 'buy', price: 100.5, amount: 0.25 },
      { timestamp: T0 + 300_001, exchange: 'fakex', symbol: 'BTCUSD', id: '2', side: 'sell', price: 100.25, amount: 1.5 },
    ])

    // fakex's live trades follow a formula of their id, stamped 1 ms before receipt.
    const live = await duckRows(fileOf('trades', 'ETHUSD'))
    expect(live.length).toBeGreaterThan(0)
    live.forEach((trade, i) => {
      const id = i + 1
      expect(trade).toEqual({
        timestamp: (trade.localTimestamp as number) - 1000,
        localTimestamp: expect.any(Number),
        exchange: 'fakex',
        symbol: 'ETHUSD',
        id: String(id),
        side: id % 2 ? 'buy' : 'sell',
        price: 100 + (id % 7),
        amount: id / 1000,
      })
    })

    const book = await duckRows(fileOf('book', 'BTCUSD'))
    expect(book.map((r) => [r.timestamp, r.eventIndex, r.isSnapshot, r.side, r.price, r.amount])).toEqual([
      [T0, 0, true, 'bid', 100, 1],
      [T0, 0, true, 'bid', 99, 2],
      [T0, 0, true, 'ask', 101, 1.5],
      [T0 + 100_000, 1, false, 'bid', 100, 0],
      [T0 + 100_000, 1, false, 'ask', 102, 3],
    ])

    const bars = await duckRows(fileOf('bars-1m', 'BTCUSD'))
    expect(bars.map(({ localTimestamp: _l, ...rest }) => rest)).toEqual(
      barEvents().map(({ type: _t, ...bar }) => bar),
    )

    // Missing optional values must be SQL NULL, not empty strings.
    const status = await duckRows(fileOf('status', 'all'))
    expect(status.map(({ timestamp: _t, localTimestamp: _l, ...rest }) => rest)).toEqual([
      { exchange: 'fakex', symbol: 'all', status: 'connected', channel: null, reason: null, fromId: null, toId: null },
    ])
    // Status rows are stamped with their receive time.
    expect(status[0]!.timestamp).toBe(status[0]!.localTimestamp)
  })

  it('reads exactly the replayed quotes, derivatives and liquidations, a field not sent as NULL and never 0', async () => {
    const replayed = (type: string) =>
      derivativeEvents()
        .filter((event) => event.type === type)
        .map(({ type: _t, ...event }) => event)
    /** A row as the event it records: NULL columns left out, as the event leaves out a field not sent. */
    const asEvent = ({ localTimestamp: _l, ...row }: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null))
    expect((await duckRows(fileOf('quotes', 'BTCUSD'))).map(asEvent)).toEqual(replayed('quote'))
    expect((await duckRows(fileOf('derivatives', 'BTCUSD'))).map(asEvent)).toEqual(replayed('derivative'))
    expect((await duckRows(fileOf('liquidations', 'BTCUSD'))).map(asEvent)).toEqual(replayed('liquidation'))
    // The nulls are SQL NULLs: counted as missing, skipped by IGNORE NULLS (the last funding rate sent is 0, not absent).
    const file = sql(fileOf('derivatives', 'BTCUSD'))
    expect(await query(`SELECT count(*) AS rows, count(markPrice) AS marks, count(openInterest) AS oi FROM read_parquet(${file})`)).toEqual([{ rows: 3, marks: 2, oi: 1 }])
    expect(
      await query(`SELECT last_value(markPrice IGNORE NULLS) OVER w AS mark, last_value(fundingRate IGNORE NULLS) OVER w AS funding FROM read_parquet(${file}) WINDOW w AS (ORDER BY timestamp) ORDER BY timestamp DESC LIMIT 1`),
    ).toEqual([{ mark: 100.45, funding: 0 }])
  })

  it('reads book snapshots with NULL past the depth of the book', async () => {
    // The README's query, with timestamps as integer µs.
    const rows = await query(`SELECT * REPLACE (epoch_us(timestamp) AS timestamp, epoch_us(localTimestamp) AS localTimestamp) FROM read_parquet(${sql(`${out}/fakex/book-snapshots/**/*.parquet`)}) ORDER BY localTimestamp`)
    expect(rows.length).toBeGreaterThan(0)
    const bookReceived = Math.max(...(await duckRows(fileOf('book', 'BTCUSD'))).map((r) => r.localTimestamp as number))
    let previous = bookReceived
    for (const row of rows) {
      // Taken after the whole script was applied, each one later than the last.
      expect(row.localTimestamp as number).toBeGreaterThan(previous)
      previous = row.localTimestamp as number
      expect(row).toEqual({
        timestamp: T0 + 100_000,
        localTimestamp: expect.any(Number),
        exchange: 'fakex',
        symbol: 'BTCUSD',
        bidPrice0: 99,
        bidAmount0: 2,
        bidPrice1: null,
        bidAmount1: null,
        bidPrice2: null,
        bidAmount2: null,
        askPrice0: 101,
        askAmount0: 1.5,
        askPrice1: 102,
        askAmount1: 3,
        askPrice2: null,
        askAmount2: null,
      })
    }
  })

  it('answers analyst queries over globs of the output folder', async () => {
    // Every exchange's and symbol's trades (DuckDB allows one `**` per path, so the exchange is `*`).
    const perSymbol = await query(
      `SELECT symbol, count(*) AS trades, min(price) AS low, max(price) AS high FROM read_parquet(${sql(`${out}/*/trades/**/*.parquet`)}) GROUP BY symbol ORDER BY symbol`,
    )
    const eth = (await readDataFile(fileOf('trades', 'ETHUSD'))).rows.map((r) => r.price as number)
    expect(perSymbol).toEqual([
      { symbol: 'BTCUSD', trades: 2, low: 100.25, high: 100.5 },
      { symbol: 'ETHUSD', trades: eth.length, low: Math.min(...eth), high: Math.max(...eth) },
    ])

    // The README's query, with column names and an order.
    const bySide = await query(
      `SELECT side, count(*) AS trades, avg(price) AS average FROM read_parquet(${sql(`${out}/fakex/trades/BTCUSD/*/*.parquet`)}) GROUP BY side ORDER BY side`,
    )
    expect(bySide).toEqual([
      { side: 'buy', trades: 1, average: 100.5 },
      { side: 'sell', trades: 1, average: 100.25 },
    ])

    // Time-range filters compare at µs precision: from 1 µs after trade 1 up to trade 2's exact µs.
    const inRange = await query(
      `SELECT id FROM read_parquet(${sql(`${out}/fakex/trades/BTCUSD/*/*.parquet`)}) WHERE timestamp BETWEEN '2025-11-25 19:07:12.323457+00' AND '2025-11-25 19:07:12.423457+00' ORDER BY id`,
    )
    expect(inRange).toEqual([{ id: '2' }])
  })

  it('replays the book change stream to the book the script leaves', async () => {
    const rows = await query(
      `SELECT filename, eventIndex, isSnapshot, side, price, amount FROM read_parquet(${sql(`${out}/fakex/book/BTCUSD/*/*.parquet`)}, filename = true, file_row_number = true) ORDER BY filename, eventIndex, file_row_number`,
    )
    expect(rows).toHaveLength(5)
    expect(replayBook(rows)).toEqual({ bids: [[99, 2]], asks: [[101, 1.5], [102, 3]] })
  })
})
