import { describe, expect, it } from 'vitest'
import { BINANCE_USDM, binancePipeline, jsonParseOnly, krakenPipeline, krakenPipelineNoChecksum, okxParseOnly, okxPipeline } from '../src/adapters/pipelines.js'
import { binanceFuturesCaptureSession, binanceFuturesGeneratedSession, binanceFuturesStream } from '../src/adapters/futures-sessions.js'
import { OKX_GENERATED_INST, okxCaptureSession, okxGeneratedSessions, okxStream } from '../src/adapters/okx-sessions.js'
import { generateStream } from '../src/book/generate.js'
import { binanceCaptureSession, krakenCaptureSession, krakenGeneratedSession, nknSnapshot } from '../src/adapters/sessions.js'
import { firstDifference } from '../src/book/agree.js'
import { binanceStream, krakenStream, type BookStream } from '../src/book/frames.js'
import { allImpls, dumpOrderBook } from '../src/book/impls.js'
import type { PipelineResult } from '../src/adapters/pipelines.js'

async function expectSameBooks(result: PipelineResult, stream: BookStream): Promise<void> {
  const [ours] = await allImpls()
  const reference = ours!.replay(stream.frames, stream.books, 'apply', 1).dump()
  expect([...result.books.keys()].sort()).toEqual([...stream.symbols].sort())
  stream.symbols.forEach((symbol, i) => {
    expect(firstDifference([dumpOrderBook(result.books.get(symbol)!)], [reference[i]!])).toBeUndefined()
  })
}

describe('adapter pipelines (the bench check, on the captures)', () => {
  it('Binance: the pipeline syncs all four books and ends where the book replay ends', async () => {
    const result = binancePipeline(binanceCaptureSession(), 1)
    expect(result.resyncs).toBe(0)
    expect(result.bookEvents).toBe(176) // 4 snapshots + 172 deltas past them
    await expectSameBooks(result, binanceStream())
  })

  it('Binance USDⓈ-M: the pipeline syncs all four books by the pu chain and ends where the futures-rule replay ends', async () => {
    const result = binancePipeline(binanceFuturesCaptureSession(), 1, BINANCE_USDM)
    expect(result.resyncs).toBe(0)
    await expectSameBooks(result, binanceFuturesStream())
  })

  it('Binance USDⓈ-M: the generated session (futures ids, pu) ends in the generator\'s book', () => {
    const stream = generateStream(nknSnapshot(), { updates: 20_000 })
    const result = binancePipeline(binanceFuturesGeneratedSession(stream), 1, BINANCE_USDM)
    expect(result.resyncs).toBe(0)
    expect(firstDifference([dumpOrderBook(result.books.get('NKNUSDT')!)], stream.expected)).toBeUndefined()
  })

  it('Kraken: every checksum of the capture verifies and the books match the replay', async () => {
    const result = krakenPipeline(krakenCaptureSession(), 1)
    expect(result.resyncs).toBe(0)
    expect(result.bookEvents).toBe(2099)
    await expectSameBooks(result, krakenStream())
  })

  it('Kraken: the generated session carries checksums the adapter accepts (computed independently)', () => {
    const { session, stream } = krakenGeneratedSession(5000, 100)
    const result = krakenPipeline(session, 1)
    expect(result.resyncs).toBe(0)
    expect(result.bookEvents).toBe(stream.frames.length)
    expect(firstDifference([dumpOrderBook(result.books.get('NKN/USD')!)], stream.expected)).toBeUndefined()
  })

  it('a corrupted checksum is caught as a resync', () => {
    const { session } = krakenGeneratedSession(500, 100)
    const frames = session.frames.map((f, i) => (i === 10 ? { ...f, raw: f.raw.replace(/"checksum":\d+/, '"checksum":1') } : f))
    expect(krakenPipeline({ ...session, frames }, 1).resyncs).toBe(1)
  })

  it('OKX: every checksum of the 2022 capture verifies (no seqId) and both books match the replay', async () => {
    const result = okxPipeline(okxCaptureSession(), 1)
    expect(result.resyncs).toBe(0)
    expect(result.bookEvents).toBe(197) // 2 snapshots + 97 and 98 updates
    await expectSameBooks(result, okxStream())
  })

  it('OKX: the generated sessions (seqId chain; checksum 0, then checksums computed independently) end in the generator\'s book', () => {
    const { plain, checksummed, stream } = okxGeneratedSessions(5000, 100)
    for (const session of [plain, checksummed]) {
      const result = okxPipeline(session, 1)
      expect(result.resyncs).toBe(0)
      expect(result.bookEvents).toBe(stream.frames.length)
      expect(firstDifference([dumpOrderBook(result.books.get(OKX_GENERATED_INST)!)], stream.expected)).toBeUndefined()
    }
    expect(okxParseOnly(plain, 1)).toBe(stream.frames.length)
  })

  it('OKX: a corrupted checksum and a broken seqId chain are each caught as a resync', () => {
    const { plain, checksummed } = okxGeneratedSessions(500, 100)
    const corrupt = checksummed.frames.map((f, i) => (i === 10 ? { ...f, raw: f.raw.replace(/"checksum":-?\d+/, '"checksum":1') } : f))
    expect(okxPipeline({ ...checksummed, frames: corrupt }, 1).resyncs).toBe(1)
    const gap = plain.frames.filter((_, i) => i !== 10)
    expect(okxPipeline({ ...plain, frames: gap }, 1).resyncs).toBe(1)
  })

  it('the floor and the no-checksum variant see every frame', () => {
    const session = krakenCaptureSession()
    expect(jsonParseOnly(session, 2)).toBe(2 * session.frames.length)
    expect(krakenPipelineNoChecksum(session, 1)).toBe(2099)
  })
})
