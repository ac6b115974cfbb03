// A hole in trade ids is reported exactly once: by the adapter's gap marker, or by the recorder when no marker covers it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import type { StatusEvent, TradeEvent } from '@dccd/core'
import { Recorder } from '../src/recorder.js'
import { recordedRows } from './helpers/rows.js'
import { recordingLogger } from './helpers/logger.js'

const AT = Date.UTC(2026, 10, 25, 12) * 1000

function trade(id: number, at = AT + id): TradeEvent {
  return { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp: at - 5, localTimestamp: at }
}

/** A gap marker as adapters emit it for trade ids they could not recover. */
function marker(fromId: number, toId: number, at = AT + fromId): StatusEvent {
  return { type: 'status', exchange: 'fakex', status: 'gap', symbol: 'BTCUSD', channel: 'trades', reason: 'not recoverable', fromId: String(fromId), toId: String(toId), localTimestamp: at }
}

function setup() {
  const out = mkdtempSync(join(tmpdir(), 'dccd-gaps-'))
  const checkpoints = new MemoryCheckpointStore()
  const make = () => {
    const logger = recordingLogger()
    return { logger, recorder: new Recorder({ out, format: 'jsonl', checkpoints, logger, now: () => AT }) }
  }
  return { out, checkpoints, make }
}

const gapRows = async (out: string) =>
  (await recordedRows(out, 'status')).filter((row) => row.status === 'gap').map((row) => [row.fromId, row.toId, row.reason])

describe('trade gaps', () => {
  it("reports a hole once when the adapter's gap marker names it", async () => {
    const { out, make } = setup()
    const { recorder, logger } = make()
    for (const id of [1, 2, 3]) recorder.write(trade(id))
    recorder.write(marker(4, 9))
    recorder.write(trade(10))
    recorder.write(trade(11))
    await recorder.close()
    expect(await gapRows(out)).toEqual([['4', '9', 'not recoverable']])
    expect(recorder.stats.gaps).toBe(1)
    expect(logger.warnings).toEqual([])
  })

  it('reports, itself, the part of a hole that no marker covers', async () => {
    const { out, make } = setup()
    const { recorder, logger } = make()
    recorder.write(trade(1))
    recorder.write(marker(4, 5)) // 2..3 were never named
    recorder.write(trade(6))
    recorder.write(trade(9)) // 7..8: no marker at all
    await recorder.close()
    expect(await gapRows(out)).toEqual([
      ['2', '3', 'trade ids skipped by the exchange feed'],
      ['4', '5', 'not recoverable'],
      ['7', '8', 'trade ids skipped by the exchange feed'],
    ])
    expect(recorder.stats.gaps).toBe(3)
    expect(logger.warnings).toHaveLength(2)
  })

  it('a marker the recorder already got past changes nothing', async () => {
    const { out, make } = setup()
    const { recorder } = make()
    for (const id of [1, 2, 3, 4]) recorder.write(trade(id))
    recorder.write(marker(2, 3))
    recorder.write(trade(5))
    await recorder.close()
    expect((await recordedRows(out, 'trades')).map((row) => row.id)).toEqual(['1', '2', '3', '4', '5'])
    expect(await gapRows(out)).toEqual([['2', '3', 'not recoverable']])
  })

  it('remembers a marker across a restart, and still reports the hole left while not recording', async () => {
    const { out, make } = setup()
    const first = make().recorder
    for (const id of [1, 2, 3]) first.write(trade(id))
    first.write(marker(4, 9))
    await first.close()
    const { recorder: second, logger } = make()
    await second.recover()
    await second.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
    second.write(trade(9, AT + 100)) // replayed: a duplicate of what the marker accounts for
    second.write(trade(10, AT + 101))
    second.write(trade(14, AT + 102))
    await second.close()
    expect(await gapRows(out)).toEqual([
      ['4', '9', 'not recoverable'],
      ['11', '13', 'trade ids skipped by the exchange feed'],
    ])
    expect(second.stats.duplicates).toBe(1)
    expect(logger.warnings).toHaveLength(1)

    const { recorder: third } = make()
    await third.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
    third.write(trade(20, AT + 200))
    await third.close()
    expect((await gapRows(out)).at(-1)).toEqual(['15', '19', expect.stringContaining('trades missed while not recording')])
  })

  it("a marker's checkpoint keeps the exchange time of the trade before the hole, live and from a crashed journal", async () => {
    const key = 'fakex/trades/BTCUSD'
    const live = setup()
    const recorder = live.make().recorder
    for (const id of [1, 2, 3]) recorder.write(trade(id))
    recorder.write(marker(4, 9, AT + 100))
    await recorder.sync()
    expect(await live.checkpoints.load(key)).toEqual({ lastId: '9', timestamp: trade(3).timestamp, localTimestamp: AT + 100 })
    await recorder.close()

    const crashed = setup()
    const first = crashed.make().recorder
    for (const id of [1, 2, 3]) first.write(trade(id))
    first.write(marker(4, 9, AT + 100))
    first.flush() // journaled, never checkpointed: the process dies here
    await crashed.make().recorder.recover()
    expect(await crashed.checkpoints.load(key)).toEqual({ lastId: '9', timestamp: trade(3).timestamp, localTimestamp: AT + 100 })
  })

  it('a marker still only in the journal of a crashed run is accounted for at the next start', async () => {
    const { out, make } = setup()
    const first = make().recorder
    for (const id of [1, 2, 3]) first.write(trade(id))
    await first.sync() // checkpoint: 3
    first.write(marker(4, 9))
    first.flush() // the marker is journaled; the process dies before the next checkpoint
    for (let run = 0; run < 2; run++) {
      // The second start finds nothing in the journal: the first must have moved the checkpoint.
      const { recorder, logger } = make()
      await recorder.recover()
      await recorder.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
      expect(recorder.lastTrade('fakex', 'BTCUSD')?.lastId).toBe('9')
      expect(logger.warnings).toEqual([])
      if (run === 1) {
        recorder.write(trade(10, AT + 100))
        await recorder.close()
      }
    }
    expect(await gapRows(out)).toEqual([['4', '9', 'not recoverable']])
  })
})
