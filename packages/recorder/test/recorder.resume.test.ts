// resumePoints(): where the data on disk ends, from durable checkpoints only, in the shape a feed's `resume` takes.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileCheckpointStore, parseChannels, resumeOption, tradeGapEvent } from '@dccd/core'
import { Recorder } from '../src/recorder.js'
import { bar, H, MINUTE, openTime, trade } from './helpers/events.js'

const STREAMS = [{ exchange: 'fakex', symbol: 'BTCUSD', trades: true, barIntervals: ['1m'] }]

function setup() {
  const out = mkdtempSync(join(tmpdir(), 'dccd-resume-'))
  // A new store per run, as a restarted process has: only what is on disk carries over.
  const make = () => new Recorder({ out, format: 'jsonl', checkpoints: new FileCheckpointStore(join(out, '.checkpoints')), now: () => H + 10 * MINUTE })
  return { out, make }
}

const at = (id: number): number => H + id * 1000

describe('resume points', () => {
  it('after a crash, are the last trade and closed bar the journal held, and nothing that was never written', async () => {
    const { make } = setup()
    const first = make()
    for (const id of [1, 2, 3]) first.write(trade(id, at(id)))
    for (const i of [0, 1]) first.write(bar(i, true))
    await first.sync()
    first.write(trade(4, at(4)))
    first.write(bar(2, true))
    first.write(bar(3, false))
    first.flush() // written to the journal; no checkpoint yet
    first.write(trade(5, at(5)))
    first.write(bar(3, true)) // never written: kill -9 here

    const second = make()
    await second.recover()
    const points = await second.resumePoints(STREAMS)
    expect(points).toEqual({
      fakex: { BTCUSD: { trades: { lastId: '4', lastTimestamp: trade(4, at(4)).timestamp }, bars: { '1m': { lastOpenTime: openTime(2) } } } },
    })
    // What a feed is created with: core accepts it as it is.
    const channels = parseChannels(['trades', 'bars:1m'], { id: 'fakex', channels: ['trades', 'bars'], barIntervals: ['1m'] })
    expect(resumeOption(points.fakex, ['BTCUSD'], channels)).toEqual(points.fakex)
  })

  it('never include what is only in memory: a trade or bar counts once its checkpoint is saved after fsync', async () => {
    const { make } = setup()
    const recorder = make()
    await recorder.loadCheckpoints(STREAMS)
    recorder.write(trade(7, at(7)))
    recorder.write(bar(0, true))
    expect(await recorder.resumePoints(STREAMS)).toEqual({})
    await recorder.sync()
    expect(await recorder.resumePoints(STREAMS)).toEqual({
      fakex: { BTCUSD: { trades: { lastId: '7', lastTimestamp: at(7) - 5 }, bars: { '1m': { lastOpenTime: openTime(0) } } } },
    })
    await recorder.close()
  })

  it('keep the exchange time of the trade before a gap marker, live and from a crashed journal', async () => {
    const marker = tradeGapEvent('fakex', 'BTCUSD', '4', '9', 'not recoverable', at(100))
    // Live: the marker moves the checkpoint to its last id during the run.
    const live = setup()
    const recorder = live.make()
    for (const id of [1, 2, 3]) recorder.write(trade(id, at(id)))
    recorder.write(marker)
    await recorder.close()
    const expected = { fakex: { BTCUSD: { trades: { lastId: '9', lastTimestamp: trade(3, at(3)).timestamp } } } }
    expect(await live.make().resumePoints(STREAMS)).toEqual(expected)

    // Crashed before any checkpoint: recovery derives it from the journal alone.
    const crashed = setup()
    const first = crashed.make()
    for (const id of [1, 2, 3]) first.write(trade(id, at(id)))
    first.write(marker)
    first.flush()
    const second = crashed.make()
    await second.recover()
    expect(await second.resumePoints(STREAMS)).toEqual(expected)
  })

  it('include only the symbols, trades and intervals asked for, and leave out trade ids that are not digits', async () => {
    const { make } = setup()
    const recorder = make()
    recorder.write(trade(3, at(3)))
    recorder.write({ ...trade('a-1', at(4)), symbol: 'ETHUSD' })
    recorder.write(bar(0, true))
    recorder.write({ ...bar(0, true), interval: '5m' })
    await recorder.close()
    const next = make()
    expect(await next.resumePoints([{ exchange: 'fakex', symbol: 'BTCUSD', trades: false, barIntervals: ['5m'] }])).toEqual({
      fakex: { BTCUSD: { bars: { '5m': { lastOpenTime: openTime(0) } } } },
    })
    expect(await next.resumePoints([{ exchange: 'fakex', symbol: 'ETHUSD', trades: true, barIntervals: [] }])).toEqual({})
    expect(next.lastTrade('fakex', 'ETHUSD')?.lastId).toBe('a-1') // still de-duplicated, just not resumable
  })
})
