// Quotes, derivative state and liquidations each get their own table; a field a message did not carry is NULL,
// never 0, in every format, and reads back as such.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import { listDataFiles, readDataFile } from '../src/data-files.js'
import type { RecordFormat } from '../src/options.js'
import { Recorder } from '../src/recorder.js'
import { columnsFor } from '../src/schema.js'
import { derivatives, eventOf, liquidations, quotes, rowOf, T } from './helpers/derivative-events.js'
import { recordedRows } from './helpers/rows.js'

const TABLES = [
  { type: 'quotes', event: 'quote', events: quotes },
  { type: 'derivatives', event: 'derivative', events: derivatives },
  { type: 'liquidations', event: 'liquidation', events: liquidations },
] as const

function recorder(format: RecordFormat, out = mkdtempSync(join(tmpdir(), 'dccd-derivatives-'))) {
  return { out, recorder: new Recorder({ out, format, checkpoints: new MemoryCheckpointStore(), now: () => T + 10_000_000 }) }
}

describe('recording quotes, derivatives and liquidations', () => {
  for (const format of ['parquet', 'jsonl', 'csv'] as const) {
    it(`writes each type into its own ${format} table whose rows equal the events, absent fields as null`, async () => {
      const { out, recorder: r } = recorder(format)
      for (const event of [...quotes, ...derivatives, ...liquidations]) r.write(event)
      expect(await r.close()).toBe(0)
      expect(listDataFiles(out).map((f) => f.slice(out.length + 1).replace(/\/[^/]+$/, ''))).toEqual([
        'fakex/derivatives/BTCUSD-PERP/2026-11-25',
        'fakex/liquidations/BTCUSD-PERP/2026-11-25',
        'fakex/quotes/BTCUSD-PERP/2026-11-25',
      ])
      for (const { type, event, events } of TABLES) {
        const [file] = listDataFiles(join(out, 'fakex', type))
        const back = await readDataFile(file!)
        const columns = columnsFor(type).map((c) => c.name)
        expect(back.columns).toEqual(columns)
        expect([...back.timestampColumns].sort()).toEqual(columnsFor(type).filter((c) => c.kind === 'timestamp').map((c) => c.name).sort())
        expect(back.rows).toEqual(events.map((e) => rowOf(e, columns)))
        expect(back.rows.map((row) => eventOf(row, event))).toEqual(events)
      }
      // A funding rate of exactly 0 is a value, not an absent one.
      expect((await recordedRows(out, 'derivatives'))[2]).toMatchObject({ fundingRate: 0, markPrice: null, fundingTime: null })
      expect(Object.fromEntries(r.stats.records)).toEqual({ quotes: 2, derivatives: 4, liquidations: 2 })
    })
  }

  it('types the Parquet columns: µs timestamps (fundingTime too), doubles, strings, optional where a venue may send nothing', async () => {
    const { out, recorder: r } = recorder('parquet')
    for (const event of [...quotes, ...derivatives, ...liquidations]) r.write(event)
    await r.close()
    const schemaOf = async (type: string) => {
      const [file] = listDataFiles(join(out, 'fakex', type))
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file!))
      return Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, `${e.repetition_type} ${e.type} ${e.logical_type?.type ?? ''}`.trim()]))
    }
    const times = { timestamp: 'REQUIRED INT64 TIMESTAMP', localTimestamp: 'REQUIRED INT64 TIMESTAMP', exchange: 'REQUIRED BYTE_ARRAY STRING', symbol: 'REQUIRED BYTE_ARRAY STRING' }
    expect(await schemaOf('quotes')).toEqual({ ...times, bidPrice: 'REQUIRED DOUBLE', bidAmount: 'REQUIRED DOUBLE', askPrice: 'REQUIRED DOUBLE', askAmount: 'REQUIRED DOUBLE' })
    expect(await schemaOf('derivatives')).toEqual({
      ...times,
      markPrice: 'OPTIONAL DOUBLE',
      indexPrice: 'OPTIONAL DOUBLE',
      fundingRate: 'OPTIONAL DOUBLE',
      fundingTime: 'OPTIONAL INT64 TIMESTAMP',
      openInterest: 'OPTIONAL DOUBLE',
    })
    expect(await schemaOf('liquidations')).toEqual({ ...times, id: 'OPTIONAL BYTE_ARRAY STRING', side: 'REQUIRED BYTE_ARRAY STRING', price: 'REQUIRED DOUBLE', amount: 'REQUIRED DOUBLE' })
  })

  it('drops nothing as a duplicate: a repeated quote and a repeated liquidation id are both recorded', async () => {
    const { out, recorder: r } = recorder('jsonl')
    for (const event of [quotes[0]!, quotes[0]!, liquidations[0]!, liquidations[0]!]) r.write(event)
    await r.close()
    expect(await recordedRows(out, 'quotes')).toHaveLength(2)
    expect((await recordedRows(out, 'liquidations')).map((row) => row.id)).toEqual(['9001', '9001'])
    expect(r.stats.duplicates).toBe(0)
  })

  it('seals what a crashed run left in the journal at the next start', async () => {
    const { out, recorder: crashed } = recorder('parquet')
    for (const event of derivatives) crashed.write(event)
    crashed.flush() // journaled; the process "dies" before close()
    const { recorder: next } = recorder('parquet', out)
    expect((await next.recover()).map((result) => result.rows)).toEqual([4])
    await next.close()
    expect((await recordedRows(out, 'derivatives')).map((row) => eventOf(row, 'derivative'))).toEqual(derivatives)
  })
})
