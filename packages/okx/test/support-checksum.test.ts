/**
 * Self-tests of the checksum reference and of the seqId conversion of the 2022 capture (test support, not the
 * adapter): the reference must reproduce every checksum OKX sent, or it cannot judge the adapter's.
 */
import { crc32 } from 'node:zlib'
import { loadSession } from '@dccd/testkit'
import type { SessionFrame } from '@dccd/testkit'
import { describe, expect, it } from 'vitest'
import { captureWithSeqIds } from './support/capture-with-seqids.js'
import { checksumText, okxChecksum, ReferenceBook } from './support/okx-checksum-reference.js'
import type { OkxBookRow, OkxLevel, OkxPush } from './support/okx-frames.js'

const capture = loadSession(new URL('./fixtures/v5-2022-05-13.jsonl', import.meta.url))

const booksOf = (frames: readonly SessionFrame[]): OkxPush<OkxBookRow>[] =>
  frames
    .filter((frame) => frame.dir === 'in' && (frame.data as Partial<OkxPush>).arg?.channel === 'books' && 'data' in (frame.data as object))
    .map((frame) => frame.data as OkxPush<OkxBookRow>)

const level = (px: string, sz: string): OkxLevel => [px, sz, '0', '1']

describe('okx checksum reference', () => {
  it('interleaves bid then ask and continues with the longer side alone', () => {
    const bids = [level('10', '1'), level('9', '2'), level('8', '3')]
    const asks = [level('11', '4')]
    expect(checksumText(bids, asks)).toBe('10:1:11:4:9:2:8:3')
    expect(okxChecksum(bids, asks)).toBe(crc32('10:1:11:4:9:2:8:3') | 0)
  })

  it('covers the best 25 levels per side only', () => {
    const bids = Array.from({ length: 30 }, (_, i) => level(String(100 - i), '1'))
    expect(checksumText(bids, []).split(':')).toHaveLength(50)
  })

  it('reproduces all 197 checksums of the 2022 capture', () => {
    const books = new Map<string, ReferenceBook>()
    let checked = 0
    for (const push of booksOf(capture)) {
      const book = books.get(push.arg.instId!) ?? new ReferenceBook()
      books.set(push.arg.instId!, book)
      for (const row of push.data) {
        book.apply(push.action!, row)
        expect(book.checksum(), `${push.arg.instId} ${push.action} ts ${row.ts}`).toBe(row.checksum)
        checked++
      }
    }
    expect(checked).toBe(197)
  })
})

describe('captureWithSeqIds', () => {
  const converted = captureWithSeqIds(capture)

  it('chains every instrument from a -1 snapshot, seqIds growing by 1 + the levels sent', () => {
    const last = new Map<string, number>()
    for (const push of booksOf(converted)) {
      const row = push.data[0]!
      const previous = last.get(push.arg.instId!)
      if (push.action === 'snapshot') expect(row.prevSeqId).toBe(-1)
      else expect(row.prevSeqId).toBe(previous)
      if (push.action === 'update' && row.asks.length + row.bids.length === 0) expect(row.seqId).toBe(row.prevSeqId)
      else if (push.action === 'update') expect(row.seqId).toBe(previous! + 1 + row.asks.length + row.bids.length)
      last.set(push.arg.instId!, row.seqId)
    }
    expect([...last.keys()].sort()).toEqual(['BTC-USD-220527', 'BTC-USDT'])
  })

  it('inserts one no-change heartbeat after the 5th update of each instrument and changes nothing else', () => {
    const heartbeats = booksOf(converted).filter((push) => push.action === 'update' && push.data[0]!.asks.length + push.data[0]!.bids.length === 0)
    expect(heartbeats.map((push) => push.arg.instId).sort()).toEqual(['BTC-USD-220527', 'BTC-USDT'])
    expect(converted).toHaveLength(capture.length + 2)
    for (const instId of ['BTC-USDT', 'BTC-USD-220527']) {
      const pushes = booksOf(converted).filter((push) => push.arg.instId === instId)
      expect(pushes[6]!.data[0]).toMatchObject({ asks: [], bids: [], checksum: 0, seqId: pushes[5]!.data[0]!.seqId })
    }
    const stripped = booksOf(converted)
      .filter((push) => !heartbeats.includes(push))
      .map((push) => ({ ...push, data: push.data.map(({ prevSeqId: _p, seqId: _s, ...row }) => row) }))
    expect(stripped).toEqual(booksOf(capture))
  })
})

describe('generated session (scripts/generate-session.mjs)', () => {
  const session = loadSession(new URL('./fixtures/session.replay.jsonl', import.meta.url))

  it('subscribes books then trades per instrument and chains each book, with two no-change updates', () => {
    expect(session.filter((frame) => frame.dir === 'out' && frame.data !== null).map((frame) => frame.data)).toEqual([
      { op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }, { channel: 'trades', instId: 'BTC-USDT' }, { channel: 'books', instId: 'BTC-USDT-SWAP' }, { channel: 'trades', instId: 'BTC-USDT-SWAP' }] },
    ])
    const last = new Map<string, number>()
    let noChange = 0
    for (const push of booksOf(session)) {
      const row = push.data[0]!
      if (push.action === 'snapshot') expect(row.prevSeqId).toBe(-1)
      else expect(row.prevSeqId).toBe(last.get(push.arg.instId!))
      if (push.action === 'update' && row.asks.length + row.bids.length === 0) noChange++
      last.set(push.arg.instId!, row.seqId)
    }
    expect(noChange).toBe(2)
    expect(session.length).toBeLessThan(150)
  })
})
