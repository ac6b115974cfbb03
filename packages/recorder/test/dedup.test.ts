import { describe, expect, it } from 'vitest'
import { compareIds, TradeDedup } from '../src/dedup.js'

const trade = (id: string, t = 1) => ({ id, timestamp: t, localTimestamp: t })

describe('compareIds', () => {
  it('compares digit strings numerically beyond 2^53', () => {
    expect(compareIds('10', '9')).toBeGreaterThan(0)
    expect(compareIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0)
    expect(compareIds('007', '7')).toBe(0)
    expect(compareIds('abc', '1')).toBeUndefined()
  })
})

describe('TradeDedup', () => {
  it('drops trades at or before the last id', () => {
    const dedup = new TradeDedup()
    expect(dedup.check('k', trade('5'))).toEqual({ duplicate: false })
    expect(dedup.check('k', trade('5'))).toEqual({ duplicate: true })
    expect(dedup.check('k', trade('4'))).toEqual({ duplicate: true })
    expect(dedup.check('k', trade('6'))).toEqual({ duplicate: false })
    expect(dedup.last('k')?.lastId).toBe('6')
  })

  it('keeps streams apart', () => {
    const dedup = new TradeDedup()
    dedup.check('a', trade('5'))
    expect(dedup.check('b', trade('5'))).toEqual({ duplicate: false })
  })

  it('resumes from a checkpoint and reports the hole across the restart', () => {
    const dedup = new TradeDedup()
    dedup.restore('k', { lastId: '100', timestamp: 1, localTimestamp: 7 })
    expect(dedup.check('k', trade('90')).duplicate).toBe(true)
    expect(dedup.check('k', trade('100')).duplicate).toBe(true)
    expect(dedup.check('k', trade('104'))).toEqual({
      duplicate: false,
      gap: { fromId: '101', toId: '103', acrossRestart: true, since: 7 },
    })
    expect(dedup.check('k', trade('107'))).toMatchObject({ gap: { fromId: '105', toId: '106', acrossRestart: false } })
  })

  it('keeps the later of a checkpoint and a recovered journal', () => {
    const dedup = new TradeDedup()
    dedup.restore('k', { lastId: '120', timestamp: 1, localTimestamp: 1 })
    dedup.restore('k', { lastId: '100', timestamp: 1, localTimestamp: 1 })
    expect(dedup.last('k')?.lastId).toBe('120')
  })

  it("moves the last id to a gap marker's toId, keeping the last trade's exchange time, and returns the part of the hole before it", () => {
    const dedup = new TradeDedup()
    dedup.check('k', trade('10'))
    expect(dedup.cover('k', { fromId: '14', toId: '20', localTimestamp: 5 })).toEqual({
      advanced: true,
      gap: { fromId: '11', toId: '13', acrossRestart: false, since: 1 },
    })
    // A marker has no exchange time: trade 10's stays, a lower bound for paging history by time.
    expect(dedup.last('k')).toEqual({ lastId: '20', timestamp: 1, localTimestamp: 5 })
    expect(dedup.check('k', trade('21'))).toEqual({ duplicate: false })
    expect(dedup.cover('k', { fromId: '3', toId: '21', localTimestamp: 6 })).toEqual({ advanced: false })
    expect(dedup.cover('k', { fromId: 'a', toId: 'b', localTimestamp: 6 })).toEqual({ advanced: false })
  })

  it('stamps a gap marker with no trade before it with its receive time', () => {
    const dedup = new TradeDedup()
    expect(dedup.cover('k', { fromId: '4', toId: '9', localTimestamp: 5 })).toEqual({ advanced: true })
    expect(dedup.last('k')).toEqual({ lastId: '9', timestamp: 5, localTimestamp: 5 })
  })

  it('de-duplicates non-numeric ids by recently seen ids', () => {
    const dedup = new TradeDedup()
    expect(dedup.check('k', trade('a-1')).duplicate).toBe(false)
    expect(dedup.check('k', trade('b-2')).duplicate).toBe(false)
    expect(dedup.check('k', trade('a-1')).duplicate).toBe(true)
  })
})
