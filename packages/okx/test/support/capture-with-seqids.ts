/**
 * The 2022 OKX capture predates `seqId`/`prevSeqId` (fixtures/README.md). This adds them to a copy, the way
 * OKX numbers books messages today, so sequence logic can be tested on real book content:
 * - per instrument, the snapshot gets `prevSeqId: -1` and `seqId` = that instrument's base;
 * - each update gets `prevSeqId` = the previous message's `seqId` and `seqId` = previous + 1 + its number of
 *   levels (OKX's seqIds grow but not by one);
 * - after the 5th update of each instrument, a no-change heartbeat is inserted:
 *   `{"asks":[],"bids":[],"ts":<the 5th update's ts>,"checksum":0,"prevSeqId":S,"seqId":S}` (S = the 5th update's
 *   `seqId`), at the 5th update's capture time `t`.
 * The input is not modified; every other frame is returned as is (the same objects).
 */
import type { SessionFrame } from '@dccd/testkit'
import type { OkxLevel, OkxPush } from './okx-frames.js'

/** Options of {@link captureWithSeqIds}. */
export interface CaptureWithSeqIdsOptions {
  /** `seqId` of the first instrument's snapshot; the n-th instrument (in order of appearance) gets base + n × 1 000 000. Default 1 000 000. */
  readonly base?: number
  /** Insert the heartbeat after this many updates of each instrument (0: none). Default 5. */
  readonly heartbeatAfter?: number
}

interface CapturedBookRow {
  readonly asks: readonly OkxLevel[]
  readonly bids: readonly OkxLevel[]
  readonly ts: string
  readonly checksum: number
}

const isBooks = (frame: SessionFrame): boolean => {
  const data = frame.data as Partial<OkxPush> | null
  return frame.dir === 'in' && data !== null && typeof data === 'object' && data.arg?.channel === 'books' && Array.isArray(data.data)
}

/**
 * @example
 * const frames = captureWithSeqIds(loadSession(new URL('../fixtures/v5-2022-05-13.jsonl', import.meta.url)))
 */
export function captureWithSeqIds(frames: readonly SessionFrame[], options: CaptureWithSeqIdsOptions = {}): SessionFrame[] {
  const base = options.base ?? 1_000_000
  const heartbeatAfter = options.heartbeatAfter ?? 5
  const state = new Map<string, { seqId: number; updates: number }>()
  const out: SessionFrame[] = []
  for (const frame of frames) {
    if (!isBooks(frame)) {
      out.push(frame)
      continue
    }
    const push = frame.data as OkxPush<CapturedBookRow>
    const instId = push.arg.instId!
    const inst = state.get(instId) ?? { seqId: base + state.size * 1_000_000, updates: 0 }
    state.set(instId, inst)
    const data = push.data.map((row) => {
      if (push.action === 'snapshot') {
        inst.updates = 0
        return { ...row, prevSeqId: -1, seqId: inst.seqId }
      }
      const prevSeqId = inst.seqId
      inst.seqId = prevSeqId + 1 + row.asks.length + row.bids.length
      inst.updates++
      return { ...row, prevSeqId, seqId: inst.seqId }
    })
    out.push({ ...frame, data: { ...push, data } })
    if (push.action === 'update' && inst.updates === heartbeatAfter) {
      const ts = data.at(-1)!.ts
      const heartbeat = { asks: [], bids: [], ts, checksum: 0, prevSeqId: inst.seqId, seqId: inst.seqId }
      out.push({ t: frame.t, dir: 'in', data: { arg: push.arg, action: 'update', data: [heartbeat] } })
    }
  }
  return out
}
