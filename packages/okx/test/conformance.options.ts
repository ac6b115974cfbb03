/**
 * What the shared conformance suite needs to know about OKX: the session, its instruments, OKX's
 * continuity rules (which session frames are book updates and snapshots; how OKX answers a resync
 * — a fresh snapshot on resubscription, built here from the session's true history) and the
 * instrument listing served over REST. A trade row stands for the fills `tradeId - count + 1 ..
 * tradeId` (src/aggregates.ts), which is what a dropped row leaves missing.
 */
import { loadSession } from '@dccd/testkit'
import type { SessionFrame } from '@dccd/testkit'
import type { ConformanceOptions, ContinuityRules } from '@dccd/testkit/conformance'
import type { OkxBookData, OkxLevel, OkxPush, OkxTrade } from '../src/index.js'

const session = loadSession(new URL('./fixtures/session.replay.jsonl', import.meta.url))
const symbols = ['BTC-USDT', 'BTC-USDT-SWAP']

const pushOf = (frame: SessionFrame): OkxPush | undefined => {
  const data = frame.dir === 'in' ? (frame.data as Partial<OkxPush>) : undefined
  return data?.arg !== undefined && Array.isArray(data.data) ? (data as OkxPush) : undefined
}
const booksOf = (frame: SessionFrame): (OkxPush<OkxBookData> & { arg: { instId: string } }) | undefined => {
  const push = pushOf(frame)
  return push?.arg.channel === 'books' ? (push as OkxPush<OkxBookData> & { arg: { instId: string } }) : undefined
}

/** The book of `instId` after `history`, as OKX would snapshot it on a new subscription. */
function snapshotAfter(history: readonly SessionFrame[], instId: string): OkxPush<OkxBookData> {
  const sides = { bids: new Map<string, OkxLevel>(), asks: new Map<string, OkxLevel>() }
  let seqId = 0
  let ts = '0'
  for (const frame of history) {
    const push = booksOf(frame)
    if (push === undefined || push.arg.instId !== instId) continue
    if (push.action === 'snapshot') for (const side of [sides.bids, sides.asks]) side.clear()
    const row = push.data[0]!
    for (const [name, levels] of [['bids', row.bids], ['asks', row.asks]] as const) {
      for (const level of levels) {
        if (Number(level[1]) === 0) sides[name].delete(level[0])
        else sides[name].set(level[0], level)
      }
    }
    seqId = row.seqId ?? seqId
    ts = row.ts
  }
  const sorted = (side: Map<string, OkxLevel>, descending: boolean): OkxLevel[] =>
    [...side.values()].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])))
  // A fresh snapshot continues OKX's sequence: its seqId is past everything sent before.
  const row = { asks: sorted(sides.asks, false), bids: sorted(sides.bids, true), ts, checksum: 0, prevSeqId: -1, seqId: seqId + 1 }
  return { arg: { channel: 'books', instId }, action: 'snapshot', data: [row] }
}

/** OKX's continuity rules over replay frames. */
export const continuity: ContinuityRules = {
  bookUpdate: (frame) => {
    const push = booksOf(frame)
    const row = push?.data[0]
    // A no-change update (prevSeqId == seqId) carries nothing whose loss could be noticed.
    return push?.action === 'update' && row !== undefined && row.prevSeqId !== row.seqId ? push.arg.instId : undefined
  },
  bookSnapshot: (frame) => {
    const push = booksOf(frame)
    return push?.action === 'snapshot' ? push.arg.instId : undefined
  },
  trades: (frame) => {
    const push = pushOf(frame)
    if (push?.arg.channel !== 'trades' || push.arg.instId === undefined) return undefined
    const rows = push.data as OkxTrade[]
    const fills = rows.flatMap((row) => {
      const last = Number(row.tradeId)
      const count = Number(row.count ?? '1')
      return Array.from({ length: count }, (_, k) => String(last - count + 1 + k))
    })
    return { symbol: push.arg.instId, ids: rows.map((row) => row.tradeId), fills }
  },
  resync: {
    kind: 'resubscribe',
    resubscribes: (message, symbol) => message.includes('"op":"subscribe"') && message.includes('"books"') && message.includes(`"${symbol}"`),
    answer: ({ connection, message, symbol, history }) => {
      if (message.includes('"op":"subscribe"') && message.includes('"books"')) connection.send(snapshotAfter(history, symbol))
    },
  },
}

/** The listing `GET /api/v5/public/instruments` serves for each type. */
const LISTED: Record<string, object[]> = {
  SPOT: [{ instType: 'SPOT', instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', state: 'live' }],
  SWAP: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP', settleCcy: 'USDT', ctVal: '0.01', ctValCcy: 'BTC', ctType: 'linear', state: 'live' }],
  FUTURES: [],
}

/** The options `conformance.test.ts` runs the suite with. */
export const conformanceOptions: ConformanceOptions = {
  session,
  symbols,
  unknownSymbol: 'NOPE-USDT',
  malformedSymbol: 'btc usdt',
  channels: ['trades', 'book'],
  wsPath: '',
  setup: (fx) => {
    fx.route('GET', '/api/v5/public/instruments', (request) => ({ body: { code: '0', msg: '', data: LISTED[request.query.get('instType') ?? ''] ?? [] } }))
  },
  continuity,
}
