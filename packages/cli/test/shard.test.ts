// --shard i/n: the parser, the hash a fleet depends on, and how the shards of a list split it.
import { describe, expect, it } from 'vitest'
import { main } from '../src/index.js'
import { fnv1a64, jumpHash, parseShard, selectShard, shardOf } from '../src/shard/shard.js'
import { fakexProject, writeScript } from './helpers/fakex.js'

/** About 2000 symbols shaped like an exchange's: pairs of real-looking assets, some with digits. */
function symbolList(): string[] {
  const bases = Array.from({ length: 500 }, (_, i) => `${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}${i}`)
  return ['USDT', 'BTC', 'ETH', 'FDUSD'].flatMap((quote) => bases.map((base) => `${base}${quote}`))
}

describe('parseShard', () => {
  it('reads i/n counted from 1', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 })
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 })
    expect(parseShard(' 8 / 8 ')).toEqual({ index: 8, count: 8 })
  })

  it.each(['0/8', '9/8', 'a/b', '1/0', '3', '3/8/2', '-1/8', '1.5/8', ''])('rejects %j naming the value and the valid form', (value) => {
    let error: unknown
    try {
      parseShard(value)
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'DCCD_USAGE' })
    expect((error as Error).message).toContain(`--shard ${JSON.stringify(value)}`)
    expect((error as Error).message).toContain('1 ≤ i ≤ n')
  })

  it('makes dccd record exit 2 before recording', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: [] })
    let stderr = ''
    const io = { out: () => {}, err: (text: string) => void (stderr += text), errIsTTY: false, outIsTTY: false }
    expect(await main(['record', 'fakex', 'BTCUSD', '--ws-url', url, '--out', `${cwd}/data`, '--shard', '9/8'], { io, discovery: { cwd } })).toBe(2)
    expect(stderr).toContain('invalid --shard "9/8"')
  })
})

describe('the shard hash', () => {
  it('is FNV-1a 64 of the UTF-8 bytes (the published test values)', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n)
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn)
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n)
  })

  it('places keys as the jump consistent hash reference does', () => {
    // The values ClickHouse's jumpConsistentHash tests pin for the paper's C++ code.
    expect([jumpHash(1n, 1), jumpHash(42n, 57), jumpHash(256n, 1024), jumpHash(3735883980n, 1), jumpHash(3735883980n, 666)]).toEqual([0, 43, 520, 0, 361])
    expect(jumpHash(16045690984833335023n, 255)).toBe(237)
  })

  // Pinned on purpose: a change here moves symbols between the machines of a running fleet.
  it('gives these shards, on every machine and in every version', () => {
    const pinned = (exchange: string, symbol: string) => [2, 3, 8, 100].map((n) => shardOf(exchange, symbol, n))
    expect(pinned('binance', 'BTCUSDT')).toEqual([1, 1, 1, 37])
    expect(pinned('binance', 'ETHUSDT')).toEqual([2, 2, 2, 13])
    expect(pinned('binance-futures', 'BTCUSDT')).toEqual([1, 1, 1, 40])
    expect(pinned('okx', 'BTC-USDT-SWAP')).toEqual([2, 2, 2, 12])
    expect(pinned('kraken', 'BTC/USD')).toEqual([1, 1, 1, 1])
  })
})

describe('selectShard', () => {
  const symbols = symbolList()

  it.each([1, 2, 3, 8])('splits 2000 symbols into %i shards that hold each symbol exactly once, evenly', (n) => {
    expect(symbols).toHaveLength(2000)
    const shards = Array.from({ length: n }, (_, i) => selectShard('binance', symbols, { index: i + 1, count: n }))
    const seen = new Map<string, number>()
    for (const shard of shards) for (const symbol of shard) seen.set(symbol, (seen.get(symbol) ?? 0) + 1)
    expect(seen.size).toBe(symbols.length)
    expect([...seen.values()].every((times) => times === 1)).toBe(true)
    // Within 15% of an even split (binomial: about 2.4 standard deviations at n = 8).
    for (const shard of shards) expect(Math.abs(shard.length - symbols.length / n)).toBeLessThanOrEqual(0.15 * (symbols.length / n))
  })

  it('keeps the given order and places a symbol by exchange and symbol only', () => {
    const shard = { index: 2, count: 3 }
    const picked = selectShard('binance', symbols, shard)
    expect(picked).toEqual(symbols.filter((symbol) => picked.includes(symbol)))
    expect(selectShard('binance', [...symbols].reverse(), shard)).toEqual([...picked].reverse())
    expect(selectShard('binance', symbols.slice(0, 100), shard)).toEqual(picked.filter((symbol) => symbols.slice(0, 100).includes(symbol)))
  })

  it('moves only about 1/(n + 1) of the symbols, all to the new shard, when a fleet of 8 grows to 9', () => {
    const moved = symbols.filter((symbol) => shardOf('binance', symbol, 8) !== shardOf('binance', symbol, 9))
    expect(moved.every((symbol) => shardOf('binance', symbol, 9) === 9)).toBe(true)
    expect(Math.abs(moved.length - symbols.length / 9)).toBeLessThanOrEqual(0.15 * (symbols.length / 9))
  })
})
