import { afterAll, describe, expect, it } from 'vitest'
import { runContestantProcess, specFor, startE2eServer, type E2eServer } from '../src/e2e/children.js'
import { runContestant } from '../src/e2e/contestant.js'
import { CONTESTANTS } from '../src/e2e/contestants/run.js'
import { benchE2e } from '../src/e2e/bench.js'
import { binanceFuturesLoopSession, FUTURES_PATHS } from '../src/e2e/binance-futures-session.js'
import { binanceLoopSession } from '../src/e2e/binance-session.js'
import { krakenLoopSession } from '../src/e2e/kraken-session.js'
import { okxLoopSession } from '../src/e2e/okx-session.js'
import { runProblems } from '../src/e2e/verify.js'

describe('end-to-end sessions (loops of the captures)', () => {
  it('Binance: each loop continues every symbol’s update-id chain and trade ids', () => {
    const { frames, expected } = binanceLoopSession(1000) // the body is 174 frames: five loops and a part
    const last = new Map<string, number>()
    const trades = new Map<string, number>()
    for (const frame of frames) {
      const { data } = JSON.parse(frame) as { data: { e: string; s: string; U: number; u: number; t: number } }
      if (data.e === 'trade') {
        if (trades.has(data.s)) expect(data.t).toBe(trades.get(data.s)! + 1)
        trades.set(data.s, data.t)
      } else {
        if (last.has(data.s)) expect(data.U).toBe(last.get(data.s)! + 1)
        last.set(data.s, data.u)
      }
    }
    expect(expected.loops).toBe(6)
    expect(expected.mix.book + expected.mix.trade).toBe(1000)
    expect(expected.perSymbol.NKNUSDT!.lastTradeId).toBe(trades.get('NKNUSDT'))
  })

  it('Binance USDⓈ-M: each loop continues every symbol’s pu chain and aggregate ids; depth and trades go to their own paths', () => {
    const { frames, parts, expected } = binanceFuturesLoopSession(2000) // the body is 843 frames: two loops and a part
    const last = new Map<string, number>()
    const trades = new Map<string, number>()
    for (const frame of frames) {
      const { data } = JSON.parse(frame) as { data: { e: string; s: string; U: number; u: number; pu: number; a: number } }
      if (data.e === 'aggTrade') {
        if (trades.has(data.s)) expect(data.a).toBe(trades.get(data.s)! + 1)
        trades.set(data.s, data.a)
      } else {
        if (last.has(data.s)) {
          expect(data.pu).toBe(last.get(data.s))
          expect(data.U).toBeGreaterThan(last.get(data.s)!)
        }
        last.set(data.s, data.u)
      }
    }
    expect(expected.loops).toBe(3)
    expect(parts![FUTURES_PATHS.depth]!.length).toBe(expected.mix.book)
    expect(parts![FUTURES_PATHS.trades]!.every((f) => f.includes('@aggTrade'))).toBe(true)
    expect(expected.mix.book + expected.mix.trade).toBe(2000)
    expect(expected.perSymbol.CTKUSDT!.lastTradeId).toBe(trades.get('CTKUSDT'))
  })

  it('OKX: seqId/prevSeqId chained across loops, checksum 0, trade ids consecutive', () => {
    const { frames, expected } = okxLoopSession(1000) // 2 snapshots, then a body of 268 frames: three loops and a part
    const seqIds = new Map<string, number>()
    const trades = new Map<string, number>()
    for (const frame of frames) {
      const { arg, action, data } = JSON.parse(frame) as { arg: { channel: string; instId: string }; action?: string; data: Record<string, number | string>[] }
      for (const row of data) {
        if (arg.channel === 'trades') {
          if (trades.has(arg.instId)) expect(Number(row.tradeId)).toBe(trades.get(arg.instId)! + 1)
          trades.set(arg.instId, Number(row.tradeId))
          continue
        }
        expect(row.checksum).toBe(0)
        expect(row.prevSeqId).toBe(action === 'snapshot' ? -1 : seqIds.get(arg.instId))
        expect(row.seqId).toBeGreaterThan(seqIds.get(arg.instId) ?? 0)
        seqIds.set(arg.instId, row.seqId as number)
      }
    }
    expect(expected.loops).toBe(4)
    expect(expected.mix.book + expected.mix.trade).toBe(1000)
    expect(expected.perSymbol['BTC-USDT']!.lastTradeId).toBe(trades.get('BTC-USDT'))
  })

  it('Kraken: the first loop reproduces the captured checksums and later loops carry new ones', () => {
    // Building it throws if any first-loop checksum differs from Kraken's; past the first loop they must change.
    const { frames, expected } = krakenLoopSession(5000)
    expect(expected.loops).toBe(3)
    const checksums = frames.filter((f) => f.includes('"checksum"')).map((f) => (JSON.parse(f) as { data: { checksum: number }[] }).data[0]!.checksum)
    expect(checksums.length).toBe(expected.mix.book)
    expect(new Set(checksums.slice(2200)).size).toBeGreaterThan(10)
  })
})

describe('end-to-end bench (tiny run, no timing assertions)', () => {
  const servers: E2eServer[] = []
  afterAll(() => {
    for (const server of servers) server.close()
  })

  // Kraken's contestants run (and are checked the same way, through runProblems) in the section test below:
  // each contestant is a process, and running every one twice made this the slowest file of the suite.
  for (const exchange of ['binance'] as const) {
    it(`${exchange}: every contestant reads every frame, counts every event and ends in the session's books`, async () => {
      const server = await startE2eServer(exchange, 3000)
      servers.push(server)
      for (const contestant of CONTESTANTS) {
        if (contestant === 'hand-written-crc' && exchange === 'binance') continue
        const run = await runContestantProcess(specFor(contestant, server))
        expect(runProblems(contestant, run, server.expected), contestant).toEqual([])
        if (contestant !== 'bare') expect(run.perSymbol).toEqual(server.expected.perSymbol)
        if (contestant === 'dccd-books' || contestant.startsWith('hand-written')) expect(Object.keys(run.books!).length).toBe(server.expected.symbols.length)
      }
    }, 60_000)
  }

  // USDⓈ-M and OKX: every contestant in this process (runContestant, what ./contestant.ts runs in a child), which
  // costs a fraction of a process each; the child process path is the one the Binance test above takes. Sessions
  // of two loops and more, so the feeds' own checks see the loop seams.
  for (const [exchange, frames] of [
    ['binance-futures', 2000],
    ['okx', 1000],
  ] as const) {
    it(`${exchange}: every contestant reads every frame, counts every event and ends in the session's books`, async () => {
      const server = await startE2eServer(exchange, frames)
      servers.push(server)
      for (const contestant of CONTESTANTS) {
        if (contestant === 'hand-written-crc') continue
        const run = await runContestant(specFor(contestant, server))
        expect(runProblems(contestant, run, server.expected), contestant).toEqual([])
        if (contestant !== 'bare') expect(run.perSymbol).toEqual(server.expected.perSymbol)
        if (contestant === 'dccd-books' || contestant === 'hand-written') expect(Object.keys(run.books!).length).toBe(server.expected.symbols.length)
      }
    }, 60_000)
  }

  it('a run whose books differ from the session is a failure', async () => {
    const server = await startE2eServer('kraken', 1000)
    servers.push(server)
    const run = await runContestantProcess(specFor('hand-written', server))
    const symbol = server.expected.symbols[0]!
    const wrong = { ...run, books: { ...run.books, [symbol]: { bids: run.books![symbol]!.bids.slice(2), asks: run.books![symbol]!.asks } } }
    expect(runProblems('hand-written', wrong, server.expected).join()).toContain(`${symbol} book`)
  }, 60_000)

  it('the section reports frames/s for every contestant and both ratios', async () => {
    const { section, results } = await benchE2e({ frames: 2000, plan: { warmup: 0, runs: 1 }, exchanges: ['kraken'] })
    expect([...results[0]!.rates.keys()]).toEqual([...CONTESTANTS])
    expect(results[0]!.plainOverFloor).toBeGreaterThan(0)
    expect(results[0]!.booksOverFloor).toBeGreaterThan(0)
    expect(section.blocks.join('\n')).toContain('OrderBookSet')
  }, 60_000)
})
