/**
 * OKX sessions for the adapter bench: the real 2022 capture (OKX's own
 * checksums and no `seqId`, so the checksum is the adapter's only check) and
 * the generated book stream as OKX sends `books` today (`seqId`/`prevSeqId`
 * chain, checksum 0), the same stream once more with the checksums OKX used
 * to send, computed here apart from dccd. Each comes with the books it must
 * end in.
 */
import type { BookLevel } from '@dccd/core'
import { loadCapture } from '../fixtures.js'
import { okxReferenceChecksum } from '../okx-reference-checksum.js'
import { finish, type BookStream, type Frame } from '../book/frames.js'
import { generateStream, type GeneratedStream } from '../book/generate.js'
import { nknSnapshot, type WireFrame, type WireSession } from './sessions.js'

type OkxWireLevel = [string, string, string, string]

interface OkxBooksPush {
  readonly arg?: { readonly channel?: string; readonly instId?: string }
  readonly action?: string
  readonly event?: string
  readonly data?: { readonly bids: OkxWireLevel[]; readonly asks: OkxWireLevel[] }[]
}

/**
 * The OKX capture's received frames (acks, books, trades), in order. Its 27
 * `tickers` frames are left out: the OKX feed never subscribes to `tickers`,
 * and `parseFrame` rejects the channel (a feed would count each as a parse error).
 */
export function okxCaptureSession(): WireSession {
  const frames: WireFrame[] = []
  let bookFrames = 0
  for (const line of loadCapture('okx-v5-2022-05-13')) {
    if (line.dir !== 'in') continue
    const push = line.data as OkxBooksPush
    if (push.event === undefined && push.arg?.channel === 'tickers') continue
    if (push.event === undefined && push.arg?.channel === 'books') bookFrames++
    frames.push({ kind: 'ws', raw: JSON.stringify(line.data), receivedAt: Math.round(line.t * 1000) })
  }
  return { name: 'OKX capture', frames, bookFrames }
}

const toLevels = (levels: readonly OkxWireLevel[]): BookLevel[] => levels.map(([p, q]) => ({ price: +p, amount: +q }))

/** The OKX capture's book snapshots and updates per instrument, in order, apart from the adapter. */
export function okxStream(): BookStream {
  const symbols = new Map<string, number>()
  const frames: Frame[] = []
  for (const line of loadCapture('okx-v5-2022-05-13')) {
    const push = line.data as OkxBooksPush | null
    if (line.dir !== 'in' || push === null || push.event !== undefined || push.arg?.channel !== 'books') continue
    const symbol = push.arg.instId!
    if (!symbols.has(symbol)) symbols.set(symbol, symbols.size)
    const row = push.data![0]!
    frames.push({ book: symbols.get(symbol)!, isSnapshot: push.action === 'snapshot', bids: toLevels(row.bids), asks: toLevels(row.asks) })
  }
  return finish('OKX capture', [...symbols.keys()], frames)
}

/** The generated sessions' instrument: the stream starts from NKNUSDT's real book, so its prices are NKN's. */
export const OKX_GENERATED_INST = 'NKN-USDT'

/** OKX's decimal text of a generator value (8 decimals at most, no trailing zeros), each distinct value formatted once. */
function decimalText(): (value: number) => string {
  const memo = new Map<number, string>()
  return (value) => {
    let text = memo.get(value)
    if (text === undefined) {
      text = value.toFixed(8).replace(/\.?0+$/, '')
      memo.set(value, text)
    }
    return text
  }
}

const START_MS = 1_652_459_225_000
const FIRST_SEQ_ID = 10_321_406_513

/**
 * The generated stream as OKX v5 sends `books` for one instrument today: the
 * subscribe ack, a snapshot of the best `levels` per side (`prevSeqId` -1),
 * then one `update` per generated frame whose `prevSeqId` is the previous
 * `seqId`. Levels are `[px, sz, "0", numOrders]` text, size `"0"` deleting.
 * `plain` carries checksum 0 (what OKX sends now: the adapter's fast path);
 * `checksummed` the same frames with the CRC32 OKX used to send, computed
 * from the generator's own book (`okxReferenceChecksum`).
 */
export function okxGeneratedSessions(updates = 200_000, levels = 400): { plain: WireSession; checksummed: WireSession; stream: GeneratedStream } {
  const text = decimalText()
  const flatText = (list: readonly number[]): string[] => list.map(text)
  const full = nknSnapshot()
  const start = { bids: full.bids.slice(0, levels), asks: full.asks.slice(0, levels) }
  const checksums: number[] = []
  const stream = generateStream(start, {
    updates,
    seed: 13052022,
    symbol: OKX_GENERATED_INST,
    onFrame: (top) => checksums.push(okxReferenceChecksum(flatText(top('bids', 25)), flatText(top('asks', 25)))),
  })
  const [snapshot, ...deltas] = stream.frames
  const wire = (side: readonly BookLevel[]): OkxWireLevel[] =>
    side.map((l) => [text(l.price), text(l.amount), '0', l.amount === 0 ? '0' : '1'])
  const arg = { channel: 'books', instId: OKX_GENERATED_INST }
  const ack: WireFrame = { kind: 'ws', raw: JSON.stringify({ event: 'subscribe', arg, connId: '5e1f0c2a' }), receivedAt: START_MS * 1000 }
  const plain: WireFrame[] = [ack]
  const checksummed: WireFrame[] = [ack]
  const push = (action: string, bids: readonly BookLevel[], asks: readonly BookLevel[], checksum: number, prevSeqId: number, seqId: number, ms: number): void => {
    const row = { asks: wire(asks), bids: wire(bids), ts: String(ms), checksum: 0, prevSeqId, seqId }
    const receivedAt = ms * 1000 + 700
    plain.push({ kind: 'ws', raw: JSON.stringify({ arg, action, data: [row] }), receivedAt })
    row.checksum = checksum
    checksummed.push({ kind: 'ws', raw: JSON.stringify({ arg, action, data: [row] }), receivedAt })
  }
  const topText = (side: readonly BookLevel[]): string[] => side.slice(0, 25).flatMap((l) => [text(l.price), text(l.amount)])
  push('snapshot', snapshot!.bids, snapshot!.asks, okxReferenceChecksum(topText(snapshot!.bids), topText(snapshot!.asks)), -1, FIRST_SEQ_ID, START_MS + 100)
  let seqId = FIRST_SEQ_ID
  deltas.forEach((frame, i) => {
    // OKX's seqIds increase but skip: here by the number of levels changed.
    const next = seqId + frame.bids.length + frame.asks.length
    push('update', frame.bids, frame.asks, checksums[i]!, seqId, next, START_MS + 200 + i * 10)
    seqId = next
  })
  const session = (name: string, frames: WireFrame[]): WireSession => ({ name, frames, bookFrames: frames.length - 1 })
  return { plain: session('OKX generated, checksum 0', plain), checksummed: session('OKX generated, with checksums', checksummed), stream }
}
