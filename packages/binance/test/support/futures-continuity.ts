/**
 * Binance futures' continuity rules told to the conformance suite, for any
 * session in Binance's combined-stream frames (the USDⓈ-M capture, the
 * generated COIN-M session): depth deltas by `depthUpdate`, trades by
 * aggregate id `a`, a resync answered with a REST depth snapshot rebuilt from
 * the session's true history, and the options that make the feed rotate.
 */
import type { ContinuityRules, RestSnapshotContext } from '@dccd/testkit/conformance'
import type { SessionFrame } from '@dccd/testkit'

type Level = [string, string]

interface FuturesPayload {
  e?: string
  s?: string
  a?: number
  U?: number
  u?: number
  T?: number
  b?: Level[]
  a_?: never
}

const payload = (frame: SessionFrame): (FuturesPayload & { a?: unknown }) | undefined =>
  (frame.data as { data?: FuturesPayload } | null)?.data

/**
 * `GET /…/depth` of `symbol` as Binance would answer it at the end of `history`: the last recorded
 * snapshot plus every later event (the one spanning its `lastUpdateId` included, as the futures rule
 * applies it), at the last event's `u`, so the client's next buffered event starts from it.
 */
export function futuresDepthAt(history: readonly SessionFrame[], depthPath: string, symbol: string, limit: number): object | undefined {
  const isSnapshot = (frame: SessionFrame): boolean =>
    frame.dir === 'rest' && new URL(frame.url!).pathname === depthPath && new URL(frame.url!).searchParams.get('symbol') === symbol
  const recorded = history.findLast(isSnapshot)
  if (recorded === undefined) return undefined
  const snapshot = recorded.data as { lastUpdateId: number; T?: number; bids: Level[]; asks: Level[] }
  const bids = new Map(snapshot.bids)
  const asks = new Map(snapshot.asks)
  let lastUpdateId = snapshot.lastUpdateId
  let time = snapshot.T
  for (const frame of history) {
    const diff = payload(frame) as { e?: string; s?: string; u?: number; T?: number; b?: Level[]; a?: Level[] } | undefined
    if (frame.dir !== 'in' || diff?.e !== 'depthUpdate' || diff.s !== symbol || diff.u! < snapshot.lastUpdateId) continue
    for (const [side, levels] of [[bids, diff.b!], [asks, diff.a!]] as const) {
      for (const [price, quantity] of levels) {
        if (Number(quantity) === 0) side.delete(price)
        else side.set(price, quantity)
      }
    }
    lastUpdateId = diff.u!
    time = diff.T
  }
  const sorted = (side: Map<string, string>, sign: 1 | -1): Level[] => [...side].sort((x, y) => sign * (Number(x[0]) - Number(y[0]))).slice(0, limit)
  return { lastUpdateId, E: time, T: time, bids: sorted(bids, -1), asks: sorted(asks, 1) }
}

/** The rules for a market whose depth snapshots are served at `depthPath` (`/fapi/v1/depth`, `/dapi/v1/depth`). */
export function futuresContinuity(depthPath: string): ContinuityRules {
  return {
    bookUpdate: (frame) => {
      const diff = payload(frame)
      return diff?.e === 'depthUpdate' ? diff.s : undefined
    },
    trades: (frame) => {
      const trade = payload(frame)
      return trade?.e === 'aggTrade' ? { symbol: trade.s!, ids: [String(trade.a)] } : undefined
    },
    resync: {
      kind: 'rest-snapshot',
      snapshotSymbol: (request) => (request.path === depthPath ? (request.query.get('symbol') ?? undefined) : undefined),
      answer: ({ history, symbol, request }: RestSnapshotContext) => {
        const body = futuresDepthAt(history, depthPath, symbol, Number(request.query.get('limit') ?? 1000))
        return body === undefined ? undefined : { body }
      },
    },
    rotation: { maxConnectionAgeMs: 800, rotationOverlapMs: 100 },
  }
}
