/**
 * Binance's continuity rules told to the conformance suite (`continuity`):
 * which replay frames are depth deltas and trades, how a resync is answered
 * (a REST depth snapshot, rebuilt here from the session's true history), and
 * the options that make the feed rotate within the suite's paced replay.
 */
import type { ContinuityRules, RestSnapshotContext } from '@dccd/testkit/conformance'
import type { SessionFrame } from '@dccd/testkit'

interface Envelope {
  stream?: string
  data?: { e?: string; s?: string; t?: number; U?: number; u?: number; T?: number; b?: [string, string][]; a?: [string, string][] }
}

const payload = (frame: SessionFrame): Envelope['data'] => (frame.data as Envelope | null)?.data

/**
 * `GET /api/v3/depth` of `symbol` as Binance would answer it at the end of `history`: the recorded snapshot plus
 * every later diff (`u` past its `lastUpdateId`), at the last diff's `u`. The same holds on futures (`path`
 * `/fapi/v1/depth` or `/dapi/v1/depth`, `times`: the body carries `E` and `T`, the last diff's `T`): an event
 * spanning the snapshot's `lastUpdateId` is applied whole, one ending at it is already in the snapshot.
 */
export function depthSnapshotAt(
  history: readonly SessionFrame[],
  symbol: string,
  limit: number,
  { path = '/api/v3/depth', times = false }: { path?: string; times?: boolean } = {},
): object | undefined {
  const recorded = history.findLast((frame) => frame.dir === 'rest' && new URL(frame.url!).pathname === path && new URL(frame.url!).searchParams.get('symbol') === symbol)
  if (recorded === undefined) return undefined
  const snapshot = recorded.data as { lastUpdateId: number; T?: number; bids: [string, string][]; asks: [string, string][] }
  const bids = new Map(snapshot.bids)
  const asks = new Map(snapshot.asks)
  let lastUpdateId = snapshot.lastUpdateId
  let time = snapshot.T
  for (const frame of history) {
    const diff = payload(frame)
    if (frame.dir !== 'in' || diff?.e !== 'depthUpdate' || diff.s !== symbol || diff.u! <= lastUpdateId) continue
    for (const [side, levels] of [[bids, diff.b!], [asks, diff.a!]] as const) {
      for (const [price, quantity] of levels) {
        if (Number(quantity) === 0) side.delete(price)
        else side.set(price, quantity)
      }
    }
    lastUpdateId = diff.u!
    time = diff.T
  }
  const sorted = (side: Map<string, string>, sign: 1 | -1) => [...side].sort((x, y) => sign * (Number(x[0]) - Number(y[0]))).slice(0, limit)
  return { lastUpdateId, ...(times ? { E: time, T: time } : {}), bids: sorted(bids, -1), asks: sorted(asks, 1) }
}

export const binanceContinuity: ContinuityRules = {
  bookUpdate: (frame) => {
    const diff = payload(frame)
    return diff?.e === 'depthUpdate' ? diff.s : undefined
  },
  trades: (frame) => {
    const trade = payload(frame)
    return trade?.e === 'trade' ? { symbol: trade.s!, ids: [String(trade.t)] } : undefined
  },
  // The replay holds two trades, of two symbols: the suite makes the hole with a later id.
  withTradeId: (frame, id) => {
    const envelope = frame.data as Envelope
    return { ...frame, data: { ...envelope, data: { ...envelope.data, t: Number(id) } } }
  },
  resync: {
    kind: 'rest-snapshot',
    snapshotSymbol: (request) => (request.path === '/api/v3/depth' ? (request.query.get('symbol') ?? undefined) : undefined),
    answer: ({ history, symbol, request }: RestSnapshotContext) => {
      const body = depthSnapshotAt(history, symbol, Number(request.query.get('limit') ?? 1000))
      return body === undefined ? undefined : { body }
    },
  },
  rotation: { maxConnectionAgeMs: 800, rotationOverlapMs: 100 },
}
