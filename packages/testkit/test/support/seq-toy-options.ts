/**
 * Conformance options for the seq toy, with its continuity rules: book updates
 * and snapshots, trade ids, a resync answered from the session's history (a
 * snapshot on the socket or over REST), and quick rotation.
 */
import type { ConformanceOptions, ContinuityRules } from '../../src/conformance/index.js'
import type { FakeExchange, SessionFrame } from '../../src/index.js'
import { SEQ_SYMBOLS, seqBookAt, seqToySession, seqTrades, type SeqMessage, type SeqToyMode } from './seq-toy-session.js'

const messageOf = (frame: SessionFrame): SeqMessage | undefined =>
  frame.dir === 'in' && frame.data !== null && typeof frame.data === 'object' ? (frame.data as SeqMessage) : undefined

const bookFrame = (frame: SessionFrame, action: 'snapshot' | 'update'): string | undefined => {
  const message = messageOf(frame)
  if (message === undefined || !('arg' in message) || message.arg.channel !== 'books') return undefined
  return (message as { action: string }).action === action ? message.arg.instId : undefined
}

export function seqToyContinuity(mode: SeqToyMode): ContinuityRules {
  return {
    bookUpdate: (frame) => bookFrame(frame, 'update'),
    bookSnapshot: (frame) => bookFrame(frame, 'snapshot'),
    trades: (frame) => {
      const message = messageOf(frame)
      if (message === undefined || !('arg' in message) || message.arg.channel !== 'trades') return undefined
      return { symbol: message.arg.instId, ids: (message.data as Array<{ tradeId: string }>).map((trade) => trade.tradeId) }
    },
    resync:
      mode === 'resubscribe'
        ? {
            kind: 'resubscribe',
            resubscribes: (text, symbol) => {
              const request = JSON.parse(text) as { op?: string; args?: Array<{ channel: string; instId: string }> }
              return request.op === 'subscribe' && request.args?.some((arg) => arg.channel === 'books' && arg.instId === symbol) === true
            },
            answer: ({ connection, message, history, symbol }) => {
              const request = JSON.parse(message) as { op?: string; args?: Array<{ instId: string }> }
              if (request.op !== 'subscribe' || request.args?.some((arg) => arg.instId === symbol) !== true) return
              connection.send({ arg: { channel: 'books', instId: symbol }, action: 'snapshot', data: [seqBookAt(history, symbol)] })
            },
          }
        : {
            kind: 'rest-snapshot',
            snapshotSymbol: (request) => (request.path === '/books' ? (request.query.get('instId') ?? undefined) : undefined),
            answer: ({ history, symbol }) => ({ body: seqBookAt(history, symbol) }),
          },
    rotation: { maxConnectionAgeMs: 500, rotationOverlapMs: 100 },
  }
}

/** The venue's trade history: `GET /trades?instId&fromId&toId`, from the session (the exchange's truth). */
function serveTradeHistory(fx: FakeExchange, session: readonly SessionFrame[]): void {
  const trades = seqTrades(session)
  fx.route('GET', '/trades', (request) => {
    const [from, to] = [Number(request.query.get('fromId')), Number(request.query.get('toId'))]
    const body = trades.filter((t) => t.instId === request.query.get('instId') && Number(t.tradeId) >= from && Number(t.tradeId) <= to)
    return { body: body.map(({ instId: _, ...trade }) => trade) }
  })
}

/** Conformance options for the seq toy in `mode`. Short waits: a broken adapter fails fast. */
export function seqToyOptions(mode: SeqToyMode, overrides: Partial<ConformanceOptions> = {}): ConformanceOptions {
  const session = seqToySession(mode)
  return {
    session,
    symbols: SEQ_SYMBOLS,
    unknownSymbol: 'ZZZ-YYY',
    malformedSymbol: 'aaa/bbb',
    timeoutMs: 3000,
    setup: (fx) => serveTradeHistory(fx, session),
    continuity: seqToyContinuity(mode),
    ...overrides,
  }
}
