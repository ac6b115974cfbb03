import { compare, fmtRatio, type RunPlan, type Timing } from '../harness.js'
import { section, timingTable, type Section } from '../report.js'
import { firstDifference, BookDisagreementError } from '../book/agree.js'
import { binanceStream, krakenStream, type BookStream } from '../book/frames.js'
import { allImpls, dumpOrderBook, type BookDump } from '../book/impls.js'
import {
  BINANCE_SPOT,
  BINANCE_USDM,
  binanceParseOnly,
  binancePipeline,
  jsonParseOnly,
  krakenPipeline,
  krakenPipelineNoChecksum,
  okxParseOnly,
  okxPipeline,
  type BinancePipelineMarket,
  type PipelineResult,
} from './pipelines.js'
import { binanceCaptureSession, binanceGeneratedSession, krakenCaptureSession, krakenGeneratedSession, type WireSession } from './sessions.js'
import { binanceFuturesCaptureSession, binanceFuturesGeneratedSession, binanceFuturesStream } from './futures-sessions.js'
import { OKX_GENERATED_INST, okxCaptureSession, okxGeneratedSessions, okxStream } from './okx-sessions.js'
import { generateStream } from '../book/generate.js'

/** One adapter comparison: pipeline vs the `JSON.parse` floor on one session. */
export interface AdapterResult {
  readonly session: string
  readonly timings: Timing[]
  /** Pipeline median ÷ floor median: ≤ 1.5 meets the target. */
  readonly oursOverFloor: number
  /** Kraken (a lower bound, when there is one) and OKX with checksums: share of the pipeline's time spent on the checksum. */
  readonly checksumShare?: number
}

const FLOOR = 'JSON.parse only (floor)'

type Venue = 'binance' | 'kraken' | 'okx'

const PIPELINE: Record<Venue, string> = {
  binance: 'Binance parse + BookSync + OrderBook.apply',
  kraken: 'KrakenBookSync (scan or parse + normalize + apply + checksum)',
  okx: 'OKX scan or parseFrame + BookSync + OrderBook.apply',
}

/** Section 2: parse + normalize + apply per adapter against `JSON.parse` alone. */
export async function benchAdapters(plan: RunPlan = { warmup: 1, runs: 5 }): Promise<{ section: Section; results: AdapterResult[] }> {
  const out = section('2. Parse + normalize + apply per adapter')
  const [ours] = await allImpls()
  const expectedOf = (stream: BookStream): Map<string, BookDump[number]> => {
    const dump = ours!.replay(stream.frames, stream.books, 'apply', 1).dump()
    return new Map(stream.symbols.map((s, i) => [s, dump[i]!]))
  }
  const generated = generateStream(binanceStream().frames.find((f) => f.isSnapshot && f.book === 0)!)
  const kraken = krakenGeneratedSession()
  const okx = okxGeneratedSessions()
  const generatedBook = new Map([['NKNUSDT', generated.expected[0]!]])
  const okxBook = new Map([[OKX_GENERATED_INST, okx.stream.expected[0]!]])
  const cases: {
    session: WireSession
    repeat: number
    venue: Venue
    binance?: BinancePipelineMarket
    expected: Map<string, BookDump[number]>
    /** OKX with checksums: the same frames with checksum 0, timed beside them for the checksum's share. */
    withoutChecksums?: WireSession
  }[] = [
    { session: binanceCaptureSession(), repeat: 50, venue: 'binance', binance: BINANCE_SPOT, expected: expectedOf(binanceStream()) },
    { session: binanceGeneratedSession(generated), repeat: 1, venue: 'binance', binance: BINANCE_SPOT, expected: generatedBook },
    { session: binanceFuturesCaptureSession(), repeat: 20, venue: 'binance', binance: BINANCE_USDM, expected: expectedOf(binanceFuturesStream()) },
    { session: binanceFuturesGeneratedSession(generated), repeat: 1, venue: 'binance', binance: BINANCE_USDM, expected: generatedBook },
    { session: krakenCaptureSession(), repeat: 20, venue: 'kraken', expected: expectedOf(krakenStream()) },
    { session: kraken.session, repeat: 1, venue: 'kraken', expected: new Map([['NKN/USD', kraken.stream.expected[0]!]]) },
    { session: okxCaptureSession(), repeat: 20, venue: 'okx', expected: expectedOf(okxStream()) },
    { session: okx.plain, repeat: 1, venue: 'okx', expected: okxBook },
    { session: okx.checksummed, repeat: 1, venue: 'okx', expected: okxBook, withoutChecksums: okx.plain },
  ]
  out.blocks.push(
    'Pipelines use only the adapters\' exported API. Binance: `parseBinanceFrame` → `BookSync.onUpdate`/`onSnapshot` → ' +
      '`OrderBook.apply` of each emitted event (USDⓈ-M: the same with `USDM_DIALECT` and `FUTURES_DEPTH_CONTINUITY`, the `pu` chain). ' +
      'Each adapter reads frames as its feed does: Binance\'s `parseFrame`, Kraken\'s and OKX\'s `scanBookUpdate` read book updates of the ' +
      'exchange\'s layout without `JSON.parse` (the general path takes the rest). ' +
      'Kraken: `scanBookUpdate` → `KrakenBookSync.applyUpdate`, other frames `JSON.parse` → `KrakenBookSync.apply` (normalize, apply, CRC32 verify), ' +
      'depth 1000. OKX: `scanBookUpdate` or `parseFrame` → `BookSync.onMessage` per instrument (the seqId chain; the deprecated checksum verified ' +
      'when not 0, and on the 2022 capture, which has no seqId) → `OrderBook.apply` of each emitted event. ' +
      'Floor: `JSON.parse` of exactly the same frames (REST snapshot bodies included). Every run\'s final books are ' +
      'checked against the book-apply reference; a checksum mismatch or gap fails the bench. ' +
      `Generated sessions: Binance ${cases[1]!.session.frames.length} frames (the 1M-update stream of section 1 as depthUpdate JSON; ` +
      'USDⓈ-M the same stream with futures ids, `pu`, `T`); ' +
      `Kraken ${kraken.session.frames.length} frames (${kraken.stream.stats.deletes + kraken.stream.stats.inserts + kraken.stream.stats.changes} level updates, ` +
      `500-level snapshot per side, checksums computed independently with toFixed + zlib.crc32); ` +
      `OKX ${okx.plain.frames.length} frames (${okx.stream.stats.deletes + okx.stream.stats.inserts + okx.stream.stats.changes} level updates ` +
      `as \`books\` updates of ${OKX_GENERATED_INST}, 400-level snapshot per side, seqId chain), once with checksum 0 as OKX sends today ` +
      '(the fast path) and once with the CRC32 of the top 25 as OKX sent in 2022, computed independently (wire text + zlib.crc32). ' +
      'The OKX capture\'s 27 `tickers` frames are left out: the feed never subscribes to that channel.',
  )
  const results: AdapterResult[] = []
  for (const c of cases) {
    const market = c.binance ?? BINANCE_SPOT
    const pipeline = {
      binance: () => binancePipeline(c.session, c.repeat, market),
      kraken: () => krakenPipeline(c.session, c.repeat),
      okx: () => okxPipeline(c.session, c.repeat),
    }[c.venue]
    const list = [
      { name: FLOOR, fn: () => jsonParseOnly(c.session, c.repeat) },
      { name: PIPELINE[c.venue], fn: pipeline },
    ]
    if (c.venue === 'kraken') list.push({ name: 'same without checksum (bench-side copy)', fn: () => krakenPipelineNoChecksum(c.session, c.repeat) })
    else if (c.venue === 'binance') list.push({ name: 'parseBinanceFrame only (no sync, no book)', fn: () => binanceParseOnly(c.session, c.repeat, market) })
    else list.push({ name: 'OKX parseFrame only (no sync, no book)', fn: () => okxParseOnly(c.session, c.repeat) })
    const plain = c.withoutChecksums
    if (plain !== undefined) list.push({ name: 'same stream with checksum 0 (seqId only)', fn: () => okxPipeline(plain, c.repeat) })
    const timings = compare(list, plan)
    verify(c.session.name, timings[1]!.last as PipelineResult, c.expected)
    const floor = timings[0]!.medianMs
    const oursMs = timings[1]!.medianMs
    const result: AdapterResult = {
      session: c.session.name,
      timings,
      oursOverFloor: oursMs / floor,
      // Kraken's copy without the checksum parses every frame with JSON.parse, where ours scans updates:
      // the difference bounds the checksum's share from below, and is no estimate once ours is faster.
      ...(c.venue === 'kraken' && timings[2]!.medianMs < oursMs ? { checksumShare: (oursMs - timings[2]!.medianMs) / oursMs } : {}),
      ...(plain !== undefined ? { checksumShare: Math.max(0, (oursMs - timings[3]!.medianMs) / oursMs) } : {}),
    }
    results.push(result)
    out.blocks.push(
      `### ${c.session.name} (${c.session.frames.length} frames${c.repeat > 1 ? `, ×${c.repeat} per run` : ''})\n\n` +
        timingTable(timings, c.session.frames.length * c.repeat, 'frames', FLOOR) +
        `\n\nours ÷ floor: **${fmtRatio(result.oursOverFloor)}** the time of JSON.parse alone` +
        (result.checksumShare !== undefined
          ? `; checksum share of the pipeline ≈ **${(100 * result.checksumShare).toFixed(0)}%**${c.venue === 'kraken' ? ' or more' : ''}`
          : c.venue === 'kraken'
            ? '; the bench-side copy without checksums (JSON.parse per frame) is slower than ours with them, so it gives no checksum share'
            : ''),
    )
  }
  return { section: out, results }
}

function verify(context: string, result: PipelineResult, expected: Map<string, BookDump[number]>): void {
  if (result.resyncs !== 0) throw new BookDisagreementError(`${context}: ${result.resyncs} resync(s) on clean data`)
  for (const [symbol, want] of expected) {
    const book = result.books.get(symbol)
    if (book === undefined) throw new BookDisagreementError(`${context}: no book for ${symbol}`)
    const diff = firstDifference([dumpOrderBook(book)], [want])
    if (diff !== undefined) throw new BookDisagreementError(`${context}: ${symbol} book differs from the reference: ${diff}`)
  }
}
