import { describe, expect, it } from 'vitest'
import { assertAgree, BookDisagreementError, checkAgreement, firstDifference } from '../src/book/agree.js'
import { binanceStream, krakenStream } from '../src/book/frames.js'
import { generateStream } from '../src/book/generate.js'
import { allImpls, type BookImpl } from '../src/book/impls.js'

const binance = binanceStream()
const snapshot = binance.frames.find((f) => f.isSnapshot && f.book === 0)!

describe('book implementations agree (the bench check, on small inputs)', () => {
  it('every implementation ends in the same books and reads the same values on the real captures', async () => {
    const impls = await allImpls()
    expect(impls.map((i) => i.name)).toEqual([
      'dccd OrderBook',
      'dccd OrderBook, bids(10)/asks(10)',
      'dccd OrderBook, copyLevels',
      'tardis-dev OrderBook',
      'ccxt ws OrderBook',
      'hand-written sorted arrays',
      'naive Map + sort',
    ])
    expect(() => checkAgreement(impls, binance, ['apply', 'bbo', 'top10'])).not.toThrow()
    expect(() => checkAgreement(impls, krakenStream(), ['apply', 'bbo', 'top10'])).not.toThrow()
  })

  it('every implementation ends in the book the generator expects', async () => {
    const stream = generateStream(snapshot, { updates: 20_000 })
    const impls = await allImpls()
    expect(() => checkAgreement(impls, stream, ['apply', 'top10'], stream.expected)).not.toThrow()
  })

  it('fails loudly when one implementation keeps a level the others do not', async () => {
    const [ours] = await allImpls()
    const faulty: BookImpl = {
      name: 'faulty',
      replay(frames, books, mode, repeat) {
        // Sees a phantom ask far from the top in the last frame.
        const last = frames.at(-1)!
        const broken = [...frames.slice(0, -1), { ...last, asks: [...last.asks, { price: 1e6, amount: 1 }] }]
        return ours!.replay(broken, books, mode, repeat)
      },
    }
    expect(() => checkAgreement([ours!, faulty], binance, ['apply'])).toThrow(BookDisagreementError)
    expect(() => checkAgreement([ours!, faulty], binance, ['apply'])).toThrow(/faulty disagrees with dccd OrderBook/)
  })

  it('fails when the reads differ even if the final books match', () => {
    const dump = () => [{ bids: [1, 2], asks: [3, 4] }]
    expect(() =>
      assertAgree('reads', [
        { name: 'a', result: { readSum: 10, dump } },
        { name: 'b', result: { readSum: 11, dump } },
      ]),
    ).toThrow(/b read 11, a read 10/)
  })
})

describe('generated stream', () => {
  it('is reproducible from its seed and has the documented mix', () => {
    const a = generateStream(snapshot, { updates: 50_000, seed: 7 })
    const b = generateStream(snapshot, { updates: 50_000, seed: 7 })
    expect(firstDifference(a.expected, b.expected)).toBeUndefined()
    expect(a.frames.length).toBe(b.frames.length)
    const { deletes, inserts, changes } = a.stats
    expect(deletes + inserts + changes).toBe(50_000)
    expect(deletes / 50_000).toBeGreaterThan(0.08)
    expect(deletes / 50_000).toBeLessThan(0.12)
    expect(a.frames[0]!.isSnapshot).toBe(true)
  })

  it('never crosses the book', () => {
    const { expected } = generateStream(snapshot, { updates: 50_000, seed: 3 })
    expect(expected[0]!.bids[0]!).toBeLessThan(expected[0]!.asks[0]!)
  })
})
