import { describe, expect, it } from 'vitest'
import { deriveShallowSession } from '../scripts/derive-depth10.js'
import { readSession } from '../scripts/session.js'
import { syntheticOverflowSession } from '../scripts/synthetic-overflow.js'
import { ReferenceBook } from '../scripts/reference-book.js'
import { CAPTURE, CAPTURE_DEPTH10, levelsOf, referenceLevels, replayBooks } from './support/replay-books.js'

const capture = readSession(CAPTURE)
const SYMBOLS = ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']

function resyncs(replay: ReturnType<typeof replayBooks>): unknown[] {
  return replay.events.filter((event) => event.type === 'status')
}

describe('BookSync on the real capture (depth 1000)', () => {
  const replay = replayBooks(capture, 1000)

  it('verifies every one of the 2099 checksums', () => {
    expect(resyncs(replay)).toEqual([])
    expect(replay.events).toHaveLength(2099)
  })

  it('ends with books equal to a reference rebuilt from the raw frames', () => {
    expect([...replay.reference.keys()].sort()).toEqual([...SYMBOLS].sort())
    for (const symbol of SYMBOLS) {
      const expected = referenceLevels(replay.reference.get(symbol)!)
      expect(levelsOf(replay.sync.book(symbol)!)).toEqual(expected)
      expect(levelsOf(replay.consumer.get(symbol)!)).toEqual(expected)
      expect(expected.bids.length).toBeGreaterThan(50)
    }
  })

  it('emits each update with exactly the levels Kraken sent (no level ever falls out at depth 1000)', () => {
    expect(replay.implicitRemovals).toBe(0)
  })
})

describe('BookSync on the depth-10 stream derived from the capture', () => {
  const derived = readSession(CAPTURE_DEPTH10)

  it('is what scripts/derive-depth10.ts produces from the capture', () => {
    expect(derived).toEqual(deriveShallowSession(capture, 10))
  })

  const replay = replayBooks(derived, 10)

  it('verifies every checksum while truncating to 10 levels', () => {
    expect(resyncs(replay)).toEqual([])
    expect(replay.maxLevels).toBe(10)
  })

  it('emits the levels truncation drops, so the consumer book matches', () => {
    expect(replay.implicitRemovals).toBeGreaterThan(0)
    for (const symbol of SYMBOLS) {
      const expected = referenceLevels(replay.reference.get(symbol)!)
      expect(expected.bids).toHaveLength(10)
      expect(levelsOf(replay.consumer.get(symbol)!)).toEqual(expected)
      expect(levelsOf(replay.sync.book(symbol)!)).toEqual(expected)
    }
  })
})

describe.each([
  { depth: 25, updates: 3000 },
  { depth: 1000, updates: 400 },
])('BookSync on a synthetic stream overflowing depth $depth', ({ depth, updates }) => {
  const session = syntheticOverflowSession({ depth, updates, seed: depth })
  const replay = replayBooks(session, depth)

  it('verifies every checksum and never holds more than the depth', () => {
    expect(resyncs(replay)).toEqual([])
    expect(replay.events).toHaveLength(updates + 1)
    expect(replay.maxLevels).toBe(depth)
  })

  it('emits implicit removals, so the consumer book equals the server window', () => {
    expect(replay.implicitRemovals).toBeGreaterThan(updates / 10)
    const expected = referenceLevels(replay.reference.get('SYN/USD')!)
    expect(expected.asks).toHaveLength(depth)
    expect(levelsOf(replay.consumer.get('SYN/USD')!)).toEqual(expected)
  })

  it('would leave a non-truncating client with stale levels (the data exercises the rule)', () => {
    const untruncated = new ReferenceBook()
    const truncated = new ReferenceBook()
    let staleWindows = 0
    let checksumMisses = 0
    for (const line of session) {
      if (line.data.channel !== 'book') continue
      const entry = line.data.data[0]
      for (const book of [untruncated, truncated]) {
        if (line.data.type === 'snapshot') book.load(entry.bids, entry.asks)
        else book.apply(entry.bids, entry.asks)
      }
      truncated.truncate(depth)
      if (JSON.stringify(untruncated.top('bids', depth)) !== JSON.stringify(truncated.top('bids'))) staleWindows++
      if (untruncated.checksum(1, 8) !== entry.checksum) checksumMisses++
    }
    expect(staleWindows).toBeGreaterThan(0)
    // At depth 25 stale levels climb into the checksummed top 10; at 1000 they cannot within a short stream.
    if (depth === 25) expect(checksumMisses).toBeGreaterThan(0)
  })
})
