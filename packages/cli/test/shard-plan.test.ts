// --shard over a record plan: per feed, over named symbols as well as filters, without asking any adapter for named ones.
import { describe, expect, it } from 'vitest'
import { buildRecordPlan } from '../src/config.js'
import type { RecordPlan } from '../src/config.js'
import { resolveRecordSymbols } from '../src/shard/fleet.js'

const BINANCE = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT', 'LINKUSDT', 'AVAXUSDT']
const KRAKEN = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'DOGE/USD', 'ADA/USD']

function twoExchanges(shard?: string): RecordPlan {
  const plan = buildRecordPlan('binance', BINANCE, { channels: 'trades', ...(shard === undefined ? {} : { shard }) })
  const kraken = buildRecordPlan('kraken', KRAKEN, { channels: 'trades' }).feeds[0]!
  return { ...plan, feeds: [...plan.feeds, kraken] }
}

const noAdapter = (exchange: string): never => {
  throw new Error(`adapter ${exchange} asked for`)
}
const silent = { out: () => {}, err: () => {}, errIsTTY: false, outIsTTY: false }

describe('resolveRecordSymbols', () => {
  it('leaves a plan without --shard or filters as it is, saying nothing', async () => {
    const plan = twoExchanges()
    let said = ''
    expect(await resolveRecordSymbols(plan, noAdapter, { ...silent, err: (text) => void (said += text) })).toBe(plan)
    expect(said).toBe('')
  })

  it('splits each exchange of the plan: shards 1/2 and 2/2 hold every named symbol exactly once', async () => {
    let said = ''
    const io = { ...silent, err: (text: string) => void (said += text) }
    const first = await resolveRecordSymbols(twoExchanges('1/2'), noAdapter, io)
    const second = await resolveRecordSymbols(twoExchanges('2/2'), noAdapter, io)
    for (const [i, all] of [BINANCE, KRAKEN].entries()) {
      const a = first.feeds.find((feed) => feed.exchange === ['binance', 'kraken'][i])?.symbols ?? []
      const b = second.feeds.find((feed) => feed.exchange === ['binance', 'kraken'][i])?.symbols ?? []
      expect(a.filter((symbol) => b.includes(symbol))).toEqual([])
      expect([...a, ...b].sort()).toEqual([...all].sort())
    }
    expect(said).toMatch(/dccd: binance: shard 1\/2: \d of 8 symbols\n/)
    expect(said).toMatch(/dccd: kraken: shard 2\/2: \d of 6 symbols\n/)
  })

  it('drops a feed its shard leaves empty, and rejects a shard that leaves nothing at all', async () => {
    const plan = buildRecordPlan('binance', ['BTCUSDT'], { channels: 'trades', shard: '2/2' })
    const other = buildRecordPlan('binance', ['ETHUSDT'], { channels: 'trades' }).feeds[0]!
    // Pinned in shard.test.ts: BTCUSDT is in shard 1 of 2, ETHUSDT in shard 2.
    let said = ''
    const resolved = await resolveRecordSymbols({ ...plan, feeds: [...plan.feeds, other] }, noAdapter, { ...silent, err: (text) => void (said += text) })
    expect(resolved.feeds.map((feed) => feed.symbols)).toEqual([['ETHUSDT']])
    expect(said).toContain('dccd: binance: shard 2/2: 0 of 1 symbols; nothing to record for this feed')
    await expect(resolveRecordSymbols(plan, noAdapter, silent)).rejects.toMatchObject({ code: 'DCCD_USAGE', message: expect.stringContaining('--shard 2/2 leaves no symbol') })
  })
})
