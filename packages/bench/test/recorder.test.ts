import { afterAll, describe, expect, it } from 'vitest'
import { binanceLoopSession } from '../src/e2e/binance-session.js'
import { runContestantProcess, specFor, startE2eServer, type E2eServer } from '../src/e2e/children.js'
import { RECORDER_CONTESTANTS } from '../src/e2e/contestants/run.js'
import { runProblems } from '../src/e2e/verify.js'
import { benchRecorder } from '../src/recorder/bench.js'
import { busySymbolsPerProcess } from '../src/recorder/capacity.js'

describe('recorder bench sessions', () => {
  it('copies of the capture are streams of their own with the same frames shared out', () => {
    const one = binanceLoopSession(2000)
    const three = binanceLoopSession(2000, 3)
    expect(three.expected.symbols.length).toBe(3 * one.expected.symbols.length)
    expect(three.expected.symbols).toContain('C2NKNUSDT')
    expect(three.frames.length).toBe(2000)
    expect(three.snapshots.size).toBe(three.expected.symbols.length)
    expect(three.expected.perSymbol.C2NKNUSDT!.trades).toBeGreaterThan(0)
    expect(three.expected.rows).toBeGreaterThan(three.expected.mix.trade + three.expected.mix.book)
  })
})

describe('recorder bench (tiny run, no timing assertions)', () => {
  const servers: E2eServer[] = []
  afterAll(() => {
    for (const server of servers) server.close()
  })

  it('the recorder seals every trade and every book level of the session, and the floors read every frame', async () => {
    const server = await startE2eServer('binance', 3000, 2)
    servers.push(server)
    for (const contestant of RECORDER_CONTESTANTS) {
      const run = await runContestantProcess(specFor(contestant, server))
      expect(runProblems(contestant, run, server.expected), contestant).toEqual([])
      expect(run.resources!.cpuMs, contestant).toBeGreaterThan(0)
      if (contestant === 'dccd-recorder') {
        expect(run.perSymbol).toEqual(server.expected.perSymbol)
        expect(run.recorded!.rowsSealed).toBeGreaterThanOrEqual(server.expected.rows!)
      } else {
        expect(run.frames).toBe(3000)
      }
    }
  }, 60_000)

  it('a recorder run that sealed fewer rows than the session makes is a failure', async () => {
    const server = await startE2eServer('binance', 1000)
    servers.push(server)
    const run = await runContestantProcess(specFor('dccd-recorder', server))
    const short = { ...run, recorded: { rowsSealed: server.expected.rows! - 1, filesSealed: 1 } }
    expect(runProblems('dccd-recorder', short, server.expected).join()).toContain('rows sealed')
  }, 60_000)

  it('the section reports every contestant per symbol count and a busy-symbol figure', async () => {
    const { section, results } = await benchRecorder({ frames: 2000, plan: { warmup: 0, runs: 1 }, copies: [1] })
    expect([...results[0]!.cases.keys()]).toEqual([...RECORDER_CONTESTANTS])
    expect(results[0]!.events).toBe(2004)
    expect(section.blocks.join('\n')).toContain('busy symbols per process')
  }, 60_000)

  it('a busy-symbol count is the smaller of the per-event and per-row bounds', () => {
    // 10 µs an event, 2 µs a row; a busy symbol makes 60 events/s and 450 rows/s: 833 by events, 555 by rows.
    expect(busySymbolsPerProcess(10, 2)).toMatchObject({ symbols: 555 })
  })
})
