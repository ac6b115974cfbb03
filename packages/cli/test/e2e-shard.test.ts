// `dccd record --shard i/n` in-process through `main`: the real Binance adapter against a fake exchange that
// lists its pairs in exchangeInfo and answers every subscribed @trade stream with one trade.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { main } from '../src/index.js'
import { fakexProject } from './helpers/fakex.js'
import { sealedRows } from './helpers/recording.js'
import { until } from './helpers/until.js'

/** `count` USDT pairs (`P0000USDT`…), plus BTC-quoted pairs and one USDT pair in BREAK that no shard records. */
function listing(count: number): { symbols: string[]; body: unknown } {
  const bases = Array.from({ length: count }, (_, i) => `P${String(i).padStart(4, '0')}`)
  const rows = [
    ...bases.map((base) => ({ symbol: `${base}USDT`, status: 'TRADING', baseAsset: base, quoteAsset: 'USDT' })),
    ...bases.slice(0, 5).map((base) => ({ symbol: `${base}BTC`, status: 'TRADING', baseAsset: base, quoteAsset: 'BTC' })),
    { symbol: 'GONEUSDT', status: 'BREAK', baseAsset: 'GONE', quoteAsset: 'USDT' },
  ]
  return { symbols: bases.map((base) => `${base}USDT`), body: { timezone: 'UTC', rateLimits: [], symbols: rows } }
}

/** Every stream a connection asked for: in its URL, then by SUBSCRIBE messages (each answered); `onStreams` sees each batch. */
function serveStreams(connection: FakeConnection, onStreams: (streams: string[]) => void): void {
  const query = new URL(connection.path, 'http://x').searchParams.get('streams')
  if (query) onStreams(query.split('/'))
  connection.forEachMessage((message) => {
    const request = JSON.parse(message) as { method?: string; params?: string[]; id?: number }
    if (request.method !== 'SUBSCRIBE') return
    connection.send({ result: null, id: request.id })
    onStreams(request.params ?? [])
  })
}

/** One trade on each `<symbol>@trade` stream. */
function tradeOn(connection: FakeConnection, streams: readonly string[]): void {
  const now = Date.now()
  for (const stream of streams) {
    const [symbol, kind] = stream.split('@')
    if (kind !== 'trade') continue
    const s = symbol!.toUpperCase()
    connection.send({ stream, data: { e: 'trade', E: now, s, t: 1, p: '1.5', q: '2', T: now, m: false, M: true } })
  }
}

/** Trades in `out`'s journal (complete lines), not yet sealed. */
function journaledTrades(out: string): number {
  const dir = join(out, '.journal')
  if (!existsSync(dir)) return 0
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.startsWith('binance/trades/') && name.endsWith('.jsonl'))
    .reduce((sum, name) => sum + readFileSync(join(dir, name), 'utf8').split('\n').slice(1, -1).length, 0)
}

function bufferIo(): { io: { out: (t: string) => void; err: (t: string) => void; errIsTTY: false; outIsTTY: false }; stderr: () => string } {
  let stderr = ''
  return { io: { out: () => {}, err: (text) => void (stderr += text), errIsTTY: false, outIsTTY: false }, stderr: () => stderr }
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('dccd record --shard (end to end, in-process)', { timeout: 30_000 }, () => {
  it('records disjoint symbol sets on shards 1/2 and 2/2 of a fleet config whose union is the listed USDT pairs', async () => {
    const { symbols, body } = listing(24)
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body }))
    const subscribed: string[] = []
    fx.onConnection((connection) =>
      serveStreams(connection, (streams) => {
        subscribed.push(...streams)
        tradeOn(connection, streams)
      }),
    )
    const cwd = fakexProject()
    const config = join(cwd, 'fleet.yaml')
    writeFileSync(
      config,
      [
        'format: jsonl',
        'feeds:',
        '  - exchange: binance',
        '    symbols: { quote: USDT, type: spot }',
        '    channels: [trades]',
        `    wsUrl: ${fx.wsUrl}`,
        `    restUrl: ${fx.restUrl}`,
        '',
      ].join('\n'),
    )

    const recorded: string[][] = []
    for (const shard of ['1/2', '2/2']) {
      const out = join(cwd, `shard-${shard[0]}`)
      const { io, stderr } = bufferIo()
      subscribed.length = 0
      const running = main(['record', '--config', config, '--shard', shard, '--out', out], { io })
      await until(() => subscribed.length > 0 && journaledTrades(out) === subscribed.length, `shard ${shard}'s trades in the journal`)
      process.emit('SIGTERM')
      expect(await running, stderr()).toBe(0)
      const mine = (await sealedRows(out, 'trades')).map((row) => String(row.symbol))
      expect(stderr()).toContain(`dccd: binance: shard ${shard}: ${mine.length} of ${symbols.length} symbols (type=spot,quote=USDT)`)
      expect(new Set(mine).size).toBe(mine.length)
      recorded.push(mine)
    }
    const [first, second] = recorded as [string[], string[]]
    expect(first.length).toBeGreaterThan(0)
    expect(second.length).toBeGreaterThan(0)
    expect(first.filter((symbol) => second.includes(symbol))).toEqual([])
    expect([...first, ...second].sort()).toEqual(symbols)
    expect(fx.restRequests.map((request) => request.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/exchangeInfo'])
  })

  it('subscribes each of a 300-symbol shard’s streams exactly once (--symbols-from on the command line)', async () => {
    const { symbols, body } = listing(600)
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body }))
    const subscribed: string[] = []
    let expected = Number.POSITIVE_INFINITY
    let allSubscribed = (): void => {}
    const subscribedAll = new Promise<void>((resolve) => (allSubscribed = resolve))
    fx.onConnection((connection) =>
      serveStreams(connection, (streams) => {
        subscribed.push(...streams)
        if (subscribed.length >= expected) allSubscribed()
      }),
    )
    const cwd = fakexProject()
    const out = join(cwd, 'data')
    const { io, stderr } = bufferIo()
    const args = ['record', 'binance', '--symbols-from', 'quote=USDT', '--shard', '1/2', '--channels', 'trades,bars:1m', '--out', out, '--format', 'jsonl']
    const running = main([...args, '--ws-url', fx.wsUrl, '--rest-url', fx.restUrl], { io })
    // The shard is resolved (and said) before any feed connects.
    await fx.waitForConnection(1)
    const count = Number(/dccd: binance: shard 1\/2: (\d+) of 600 symbols \(quote=USDT\)/.exec(stderr())?.[1])
    expect(count).toBeGreaterThan(250)
    expect(count).toBeLessThan(350)
    expected = 2 * count
    if (subscribed.length >= expected) allSubscribed()
    await subscribedAll
    process.emit('SIGTERM')
    expect(await running, stderr()).toBe(0)

    const picked = symbols.filter((symbol) => subscribed.includes(`${symbol.toLowerCase()}@trade`))
    expect(picked).toHaveLength(count)
    expect([...subscribed].sort()).toEqual(picked.flatMap((symbol) => [`${symbol.toLowerCase()}@kline_1m`, `${symbol.toLowerCase()}@trade`]).sort())
    // A URL holds what fits in 4096 characters; the rest went by SUBSCRIBE, so both paths were used.
    expect(fx.connections[0]!.messages.length).toBeGreaterThan(0)
  })
})

