// dccd sink-to-files against the real nats-server: JetStream → files, rows as published.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BarEvent, MarketEvent, TradeEvent } from '@dccd/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/index.js'
import { NatsServer } from '../../nats/test/support/nats-server.js'
import { consumerState, generateSession, publishEvents, storedTime, streamClient } from '../../nats/test/support/session.js'
import { sealedRows } from './helpers/recording.js'

let server: NatsServer
let root: string

beforeAll(async () => {
  server = await NatsServer.start()
  root = mkdtempSync(join(tmpdir(), 'dccd-sink-'))
})
afterAll(async () => {
  await server.close()
  rmSync(root, { recursive: true, force: true })
})

async function sink(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = ''
  const io = { out: () => {}, err: (text: string) => void (stderr += text), errIsTTY: false, outIsTTY: false }
  const code = await main(['sink-to-files', ...args], { io })
  return { code, stderr }
}

const tradeRow = (t: TradeEvent) => ({ timestamp: t.timestamp, localTimestamp: t.localTimestamp, exchange: t.exchange, symbol: t.symbol, id: t.id, side: t.side, price: t.price, amount: t.amount })
const barRow = (b: BarEvent) => ({
  timestamp: b.timestamp,
  localTimestamp: b.localTimestamp,
  exchange: b.exchange,
  symbol: b.symbol,
  interval: b.interval,
  openTime: b.openTime,
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  volume: b.volume,
  closed: b.closed,
})
const bySymbolAndTime = (a: Record<string, unknown>, b: Record<string, unknown>): number =>
  String(a.symbol).localeCompare(String(b.symbol)) || Number(a.localTimestamp) - Number(b.localTimestamp)
const trades = (events: MarketEvent[]) => events.filter((e): e is TradeEvent => e.type === 'trade')

describe('dccd sink-to-files (end to end)', { timeout: 30_000 }, () => {
  it('writes the published events into Parquet files whose rows equal them, acknowledging every message', async () => {
    const { nc, js } = await streamClient(server.url)
    const events = generateSession({ trades: 150 })
    await publishEvents(js, events)
    const out = join(root, 'all')
    const run = await sink(['--from', server.url, '--out', out, '--drain', '--batch', '64'])
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect((await sealedRows(out, 'trades')).sort(bySymbolAndTime)).toEqual(trades(events).map(tradeRow).sort(bySymbolAndTime))
    const bars = events.filter((e): e is BarEvent => e.type === 'bar')
    expect((await sealedRows(out, 'bars-1m')).sort(bySymbolAndTime)).toEqual(bars.map(barRow).sort(bySymbolAndTime))
    const levels = events.reduce((sum, e) => sum + (e.type === 'book' ? e.bids.length + e.asks.length : 0), 0)
    expect(await sealedRows(out, 'book')).toHaveLength(levels)
    expect(await sealedRows(out, 'status')).toHaveLength(2)
    expect(await consumerState(nc, 'DCCD', 'dccd-files')).toEqual({ ackPending: 0, pending: 0, ackFloor: events.length })
    await nc.close()
  })

  it('quarantines a message that is not an event, counts it, and writes the rest', async () => {
    const { nc, js } = await streamClient(server.url)
    const events = generateSession({ symbols: ['BTCUSDT'], trades: 20 })
    await publishEvents(js, events.slice(0, 10))
    await js.publish('dccd.binance.trade.BTCUSDT', 'not json at all')
    await publishEvents(js, events.slice(10))
    const out = join(root, 'malformed')
    const run = await sink(['--from', server.url, '--out', out, '--drain', '--format', 'jsonl'])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('1 malformed message(s)')
    expect((await sealedRows(out, 'trades')).map((row) => row.id)).toEqual(trades(events).map((t) => t.id))
    const quarantined = readFileSync(join(out, '.quarantine', 'nats', 'DCCD.rejected.jsonl'), 'utf8').trim().split('\n')
    expect(quarantined).toHaveLength(1)
    expect(JSON.parse(quarantined[0]!)).toMatchObject({ stream: 'DCCD', seq: 11, subject: 'dccd.binance.trade.BTCUSDT', base64: Buffer.from('not json at all').toString('base64') })
    await nc.close()
  })

  it('--from-time and --to-time replay only the window into a fresh folder', async () => {
    const { nc, js } = await streamClient(server.url)
    const hour = 3_600_000_000
    const [before, inside, after] = [0, 1, 2].map((k) => generateSession({ symbols: ['BTCUSDT'], trades: 10, firstId: 1 + 10 * k, start: 1_764_547_200_000_000 + k * hour }))
    const publishThenTick = async (events: MarketEvent[]): Promise<Date> => {
      const stored = await storedTime(nc, 'DCCD', await publishEvents(js, events))
      // ISO times have ms: what comes next must be stored in a later millisecond (await the clock, no fixed sleep).
      const next = new Date(stored.getTime() + 1)
      while (Date.now() <= next.getTime()) await new Promise((resolve) => setImmediate(resolve))
      return next
    }
    const from = await publishThenTick(before!)
    const to = await publishThenTick(inside!)
    await publishEvents(js, after!)
    const out = join(root, 'window')
    const run = await sink(['--from', server.url, '--out', out, '--from-time', from.toISOString(), '--to-time', to.toISOString()])
    expect(run.code).toBe(0)
    expect((await sealedRows(out, 'trades')).map((row) => row.id)).toEqual(trades(inside!).map((t) => t.id))
    // The durable is untouched by a replay.
    expect(await consumerState(nc, 'DCCD', 'dccd-files')).toBeUndefined()
    await nc.close()
  })

  it.each([
    ['a bad --from URL', ['--from', 'http://127.0.0.1:4222'], 'http://127.0.0.1:4222'],
    ['a missing --from', [], '--from is required'],
    ['a bad --from-time', ['--from', 'nats://127.0.0.1:1', '--from-time', 'yesterday'], 'yesterday'],
    ['--to-time without --from-time', ['--from', 'nats://127.0.0.1:1', '--to-time', '2026-01-01'], '--to-time needs --from-time'],
    ['a bad --filter', ['--from', 'nats://127.0.0.1:1', '--filter', 'dccd.>.x'], 'dccd.>.x'],
    ['a bad --durable', ['--from', 'nats://127.0.0.1:1', '--durable', 'a.b'], 'a.b'],
  ])('%s exits 2 before any network use', async (_, args, message) => {
    const out = join(root, 'bad-input')
    const run = await sink([...args, '--out', out])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(message)
    expect(existsSync(join(out, '.journal'))).toBe(false)
  })

  it('an unwritable --out exits 2', async () => {
    const file = join(root, 'a-file')
    await import('node:fs').then((fs) => fs.writeFileSync(file, ''))
    const run = await sink(['--from', server.url, '--out', join(file, 'data')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('cannot write --out')
  })

  it('a stream that does not exist exits 2, naming it', async () => {
    await streamClient(server.url).then(({ nc }) => nc.close())
    const run = await sink(['--from', server.url, '--out', join(root, 'nostream'), '--stream', 'NOPE'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('"NOPE" does not exist')
  })

  it('a durable that filters other subjects exits 2 rather than write another selection', async () => {
    const { nc } = await streamClient(server.url)
    const out = join(root, 'conflict')
    expect((await sink(['--from', server.url, '--out', out, '--drain'])).code).toBe(0)
    const run = await sink(['--from', server.url, '--out', out, '--drain', '--filter', 'dccd.binance.>'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('use another durable name')
    await nc.close()
  })

  it('an unreachable server exits 1 with a message naming it', async () => {
    const gone = await NatsServer.start()
    await gone.close()
    const run = await sink(['--from', gone.url, '--out', join(root, 'unreachable')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`cannot connect to NATS at ${gone.url}`)
  })
})
