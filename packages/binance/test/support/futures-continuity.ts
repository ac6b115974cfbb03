/**
 * Binance futures' continuity rules told to the conformance suite, for any
 * session in Binance's combined-stream frames (the USDⓈ-M capture, the
 * generated COIN-M session): depth deltas by `depthUpdate`, trades by
 * aggregate id `a`, a resync answered with a REST depth snapshot rebuilt from
 * the session's true history, and the options that make the feed rotate.
 */
import type { ContinuityRules, RestSnapshotContext } from '@dccd/testkit/conformance'
import type { SessionFrame } from '@dccd/testkit'
import { depthSnapshotAt } from './continuity.js'

interface FuturesPayload {
  e?: string
  s?: string
  a?: number
}

const payload = (frame: SessionFrame): FuturesPayload | undefined => (frame.data as { data?: FuturesPayload } | null)?.data

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
        const body = depthSnapshotAt(history, symbol, Number(request.query.get('limit') ?? 1000), { path: depthPath, times: true })
        return body === undefined ? undefined : { body }
      },
    },
    rotation: { maxConnectionAgeMs: 800, rotationOverlapMs: 100 },
  }
}
