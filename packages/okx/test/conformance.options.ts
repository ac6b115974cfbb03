/**
 * What the shared conformance suite needs to know about OKX: the session, its symbols, this
 * venue's continuity rules (which session frames are book updates, snapshots and trades, how the
 * exchange answers a resync — a fresh snapshot on resubscription, built here from the session's
 * true history) and REST trade history served from the session. See CONTRIBUTING, step 8.
 */
import { loadSession } from '@dccd/testkit'
import type { SessionFrame } from '@dccd/testkit'
import type { ConformanceOptions, ContinuityRules } from '@dccd/testkit/conformance'
import type { OKXBookFrame, OKXFrame, OKXLevel, OKXRestTrade } from '../src/wire.js'

// TODO(new adapter): record a real session into test/fixtures (see its README) and point at it.
const session = loadSession(new URL('./fixtures/session.replay.jsonl', import.meta.url))
const symbols = ['BTCUSDT', 'ETHUSDT']

const frameOf = (frame: SessionFrame): OKXFrame | undefined => (frame.dir === 'in' ? (frame.data as OKXFrame) : undefined)
const bookOf = (frame: SessionFrame): OKXBookFrame | undefined => {
  const data = frameOf(frame)
  return data !== undefined && 'channel' in data && data.channel === 'book' ? data : undefined
}

/** The book of `symbol` after `history`, as the exchange would snapshot it. */
function snapshotAfter(history: readonly SessionFrame[], symbol: string): OKXBookFrame {
  const sides = { bids: new Map<string, string>(), asks: new Map<string, string>() }
  let seqId = 0
  for (const frame of history) {
    const book = bookOf(frame)
    if (book === undefined || book.symbol !== symbol) continue
    if (book.type === 'snapshot') for (const side of [sides.bids, sides.asks]) side.clear()
    for (const [name, levels] of [['bids', book.bids], ['asks', book.asks]] as const) {
      for (const [price, size] of levels) {
        if (Number(size) === 0) sides[name].delete(price)
        else sides[name].set(price, size)
      }
    }
    seqId = book.seqId
  }
  const sorted = (side: Map<string, string>, descending: boolean): OKXLevel[] =>
    [...side].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])))
  return { channel: 'book', type: 'snapshot', symbol, seqId, prevSeqId: -1, bids: sorted(sides.bids, true), asks: sorted(sides.asks, false), ts: history.at(-1)!.t }
}

const continuity: ContinuityRules = {
  bookUpdate: (frame) => {
    const book = bookOf(frame)
    return book?.type === 'update' ? book.symbol : undefined
  },
  bookSnapshot: (frame) => {
    const book = bookOf(frame)
    return book?.type === 'snapshot' ? book.symbol : undefined
  },
  trades: (frame) => {
    const data = frameOf(frame)
    return data !== undefined && 'channel' in data && data.channel === 'trades' ? { symbol: data.symbol, ids: data.data.map((t) => String(t.id)) } : undefined
  },
  resync: {
    kind: 'resubscribe',
    resubscribes: (message, symbol) => message.includes('"subscribe"') && message.includes('"book"') && message.includes(symbol),
    answer: ({ connection, message, symbol, history }) => {
      if (message.includes('"op":"subscribe"') && message.includes('"book"')) connection.send(snapshotAfter(history, symbol))
    },
  },
}

/** Every trade of the session, by symbol: what `GET /api/trades` serves. */
const history = new Map<string, OKXRestTrade[]>()
for (const frame of session) {
  const data = frameOf(frame)
  if (data === undefined || !('channel' in data) || data.channel !== 'trades') continue
  history.set(data.symbol, [...(history.get(data.symbol) ?? []), ...data.data])
}

/** The options `conformance.test.ts` runs the suite with. */
export const conformanceOptions: ConformanceOptions = {
  session,
  symbols,
  unknownSymbol: 'NOPEUSDT',
  malformedSymbol: 'btc usdt',
  setup: (fx) => {
    fx.route('GET', '/api/trades', (request) => {
      const fromId = Number(request.query.get('fromId'))
      const limit = Number(request.query.get('limit'))
      const rows = (history.get(request.query.get('symbol') ?? '') ?? []).filter((row) => row.id >= fromId).slice(0, limit)
      return { body: rows }
    })
  },
  continuity,
}
