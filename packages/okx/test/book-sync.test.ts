import { crc32 } from 'node:zlib'
import type { MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { BookSync, parseFrame } from '../src/index.js'
import type { OkxBookMessage } from '../src/index.js'

const NOW = Date.UTC(2026, 5, 1) * 1000
const TS = String(Date.UTC(2026, 5, 1) - 1000)

type Level = [string, string, string, string]
const level = (price: string, size: string): Level => [price, size, '0', '1']

function books(action: 'snapshot' | 'update', row: { bids?: Level[]; asks?: Level[]; seqId?: number; prevSeqId?: number; checksum?: number }, instId = 'BTC-USDT'): OkxBookMessage {
  const data = { asks: row.asks ?? [], bids: row.bids ?? [], ts: TS, checksum: row.checksum ?? 0, ...(row.seqId === undefined ? {} : { seqId: row.seqId, prevSeqId: row.prevSeqId }) }
  return parseFrame(JSON.stringify({ arg: { channel: 'books', instId }, action, data: [data] }), NOW) as OkxBookMessage
}

/** OKX's checksum of a book given as sorted string levels (best first). */
function checksumOf(bids: Level[], asks: Level[]): number {
  const parts: string[] = []
  for (let i = 0; i < 25; i++) {
    if (i < bids.length) parts.push(bids[i]![0], bids[i]![1])
    if (i < asks.length) parts.push(asks[i]![0], asks[i]![1])
  }
  return crc32(parts.join(':')) | 0
}

function run(sync: BookSync, ...messages: OkxBookMessage[]): { verdicts: string[]; out: MarketEvent[] } {
  const out: MarketEvent[] = []
  const verdicts = messages.map((message) => sync.onMessage(message, out))
  return { verdicts, out }
}

const kinds = (out: readonly MarketEvent[]): string[] => out.map((e) => (e.type === 'status' ? `${e.status}` : e.type === 'book' ? (e.isSnapshot ? 'snapshot' : 'delta') : e.type))

describe('BookSync (seqId / prevSeqId)', () => {
  const snapshot = books('snapshot', { bids: [level('100', '1')], asks: [level('101', '1')], seqId: 10, prevSeqId: -1 })

  it('emits the snapshot and every update whose prevSeqId is the last seqId', () => {
    const sync = new BookSync('BTC-USDT')
    const { verdicts, out } = run(sync, snapshot, books('update', { bids: [level('100', '2')], seqId: 13, prevSeqId: 10 }), books('update', { asks: [level('101', '0')], seqId: 20, prevSeqId: 13 }))
    expect(verdicts).toEqual(['ok', 'ok', 'ok'])
    expect(kinds(out)).toEqual(['snapshot', 'delta', 'delta'])
    expect(sync.live).toBe(true)
  })

  it('accepts a no-change update (prevSeqId == seqId) without emitting it, and keeps the chain', () => {
    const sync = new BookSync('BTC-USDT')
    const { verdicts, out } = run(sync, snapshot, books('update', { seqId: 10, prevSeqId: 10 }), books('update', { bids: [level('99', '1')], seqId: 12, prevSeqId: 10 }))
    expect(verdicts).toEqual(['ok', 'ok', 'ok'])
    expect(kinds(out)).toEqual(['snapshot', 'delta'])
  })

  it('answers a broken chain with one resync naming both ids, then ignores updates until the next snapshot', () => {
    const sync = new BookSync('BTC-USDT')
    const { verdicts, out } = run(
      sync,
      snapshot,
      books('update', { bids: [level('100', '2')], seqId: 15, prevSeqId: 12 }),
      books('update', { bids: [level('100', '3')], seqId: 17, prevSeqId: 15 }),
      books('snapshot', { bids: [level('100', '3')], seqId: 30, prevSeqId: -1 }),
      books('update', { bids: [level('100', '4')], seqId: 31, prevSeqId: 30 }),
    )
    expect(verdicts).toEqual(['ok', 'resync', 'ok', 'ok', 'ok'])
    expect(kinds(out)).toEqual(['snapshot', 'resync', 'snapshot', 'delta'])
    expect(out[1]).toMatchObject({ symbol: 'BTC-USDT', channel: 'book', reason: 'gap: expected prevSeqId 10, got 12' })
  })

  it('drops a repeat of the last update (a replay that sends it twice) without a resync', () => {
    const sync = new BookSync('BTC-USDT')
    const update = books('update', { bids: [level('100', '2')], seqId: 13, prevSeqId: 10 })
    const { verdicts, out } = run(sync, snapshot, update, update, books('update', { bids: [level('100', '3')], seqId: 14, prevSeqId: 13 }))
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(kinds(out)).toEqual(['snapshot', 'delta', 'delta'])
  })

  it('treats a seqId that goes backwards (OKX reset after maintenance) as a break', () => {
    const sync = new BookSync('BTC-USDT')
    const { verdicts, out } = run(sync, snapshot, books('update', { bids: [level('100', '2')], seqId: 3, prevSeqId: 2 }))
    expect(verdicts).toEqual(['ok', 'resync'])
    expect(out[1]).toMatchObject({ status: 'resync', reason: expect.stringMatching(/seqId went backwards \(10 → 3\)/) })
  })

  it('never emits an update before the first snapshot', () => {
    const { verdicts, out } = run(new BookSync('BTC-USDT'), books('update', { bids: [level('100', '2')], seqId: 13, prevSeqId: 10 }))
    expect(verdicts).toEqual(['ok'])
    expect(out).toEqual([])
  })

  it('invalidate() marks a live book for resync once, and a book that is not live not at all', () => {
    const sync = new BookSync('BTC-USDT')
    const out: MarketEvent[] = []
    sync.invalidate('connection lost', NOW, out)
    run(sync, snapshot)
    sync.invalidate('connection lost: 1006', NOW, out)
    sync.invalidate('again', NOW, out)
    expect(out).toEqual([{ type: 'status', exchange: 'okx', status: 'resync', symbol: 'BTC-USDT', channel: 'book', reason: 'connection lost: 1006', localTimestamp: NOW }])
  })
})

describe('BookSync (checksum, deprecated but verified when not 0)', () => {
  it('verifies non-zero checksums over the wire strings and resyncs on a mismatch', () => {
    const bids = [level('100.10', '1.500'), level('100', '2')]
    const asks = [level('101', '0.1')]
    const sync = new BookSync('BTC-USDT')
    const first = run(sync, books('snapshot', { bids, asks, seqId: 1, prevSeqId: -1, checksum: checksumOf(bids, asks) }))
    expect(first.verdicts).toEqual(['ok'])
    expect(sync.verifiesChecksums).toBe(true)
    const after = [level('100.10', '1.500')]
    const ok = run(sync, books('update', { bids: [level('100', '0')], seqId: 2, prevSeqId: 1, checksum: checksumOf(after, asks) }))
    expect(ok.verdicts).toEqual(['ok'])
    const bad = run(sync, books('update', { asks: [level('102', '1')], seqId: 3, prevSeqId: 2, checksum: 12345 }))
    expect(bad.verdicts).toEqual(['resync'])
    expect(bad.out[0]).toMatchObject({ status: 'resync', reason: expect.stringMatching(/^checksum mismatch: OKX sent 12345, local book gives -?\d+$/) })
  })

  it('keeps no string book when the snapshot carries checksum 0, and asks for a snapshot once when a checksum then appears', () => {
    const sync = new BookSync('BTC-USDT')
    run(sync, books('snapshot', { bids: [level('100', '1')], seqId: 1, prevSeqId: -1 }))
    expect(sync.verifiesChecksums).toBe(false)
    const first = run(sync, books('update', { bids: [level('100', '2')], seqId: 2, prevSeqId: 1, checksum: 77 }))
    expect(first.verdicts).toEqual(['resync'])
    run(sync, books('snapshot', { bids: [level('100', '2')], seqId: 5, prevSeqId: -1 }))
    const second = run(sync, books('update', { bids: [level('100', '3')], seqId: 6, prevSeqId: 5, checksum: 78 }))
    expect(second.verdicts).toEqual(['ok'])
    expect(kinds(second.out)).toEqual(['delta'])
    expect(sync.unverifiable).toBe(2)
  })

  it('on frames without seqId (captures before 2022) the checksum is the continuity check', () => {
    const bids = [level('100', '1')]
    const asks = [level('101', '1')]
    const sync = new BookSync('BTC-USDT')
    run(sync, books('snapshot', { bids, asks, checksum: checksumOf(bids, asks) }))
    // An update lost before this one: the checksum of the book as the exchange holds it does not match ours.
    const next = run(sync, books('update', { bids: [level('99', '1')], checksum: checksumOf([level('100', '5'), level('99', '1')], asks) }))
    expect(next.verdicts).toEqual(['resync'])
  })
})

describe('BookSync and scanned messages', () => {
  it('refuses a message without wire levels on a book that verifies checksums, rather than checksumming nothing', () => {
    const bids = [level('100', '1')]
    const asks = [level('101', '1')]
    const sync = new BookSync('BTC-USDT')
    run(sync, books('snapshot', { bids, asks, seqId: 10, prevSeqId: -1, checksum: checksumOf(bids, asks) }))
    expect(sync.verifiesChecksums).toBe(true)
    const { data: _wire, ...scanned } = books('update', { bids: [level('99', '2')], seqId: 11, prevSeqId: 10 })
    expect(() => run(sync, scanned)).toThrow(/without its wire levels/)
  })
})
