import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, parseChannels } from '@dccd/core'
import { worstCaseConnectAttempts } from '@dccd/transport'
import { CAPABILITIES } from '../src/capabilities.js'
import { resolveBinanceOptions } from '../src/options.js'
import { connectionPlan, planShards, streamNamesFor, subscribeMessages } from '../src/subscriptions.js'

const channels = parseChannels(['trades', 'book', 'bars:1m', 'bars:1M'], CAPABILITIES)

describe('subscriptions', () => {
  it('names lower-case streams per channel', () => {
    expect(streamNamesFor('BTCUSDT', channels)).toEqual([
      'btcusdt@trade',
      'btcusdt@depth@100ms',
      'btcusdt@kline_1m',
      'btcusdt@kline_1M',
    ])
  })

  it('shards at most maxStreams streams per connection, keeping a symbol on one connection', () => {
    const symbols = Array.from({ length: 600 }, (_, i) => `S${i}USDT`)
    const shards = planShards(symbols, channels) // 4 streams each → 256 symbols per connection
    expect(shards.map((s) => s.streams.length)).toEqual([1024, 1024, 352])
    expect(shards.map((s) => s.symbols.length)).toEqual([256, 256, 88])
    expect(shards.flatMap((s) => s.symbols)).toEqual(symbols)
    expect(planShards(['AUSDT', 'BUSDT', 'CUSDT'], channels, 5).map((s) => s.symbols)).toEqual([['AUSDT'], ['BUSDT'], ['CUSDT']])
  })

  it('puts what fits in the combined-stream URL and leaves the rest for SUBSCRIBE', () => {
    const shard = planShards(
      Array.from({ length: 300 }, (_, i) => `S${i}USDT`),
      channels,
    )[0]!
    const plan = connectionPlan('ws://127.0.0.1:1/', shard)
    expect(plan.url.length).toBeLessThanOrEqual(4096)
    expect(plan.url.startsWith('ws://127.0.0.1:1/stream?streams=s0usdt@trade/')).toBe(true)
    const inUrl = new URL(plan.url).searchParams.get('streams')!.split('/')
    expect([...inUrl, ...plan.subscribeLater]).toEqual(shard.streams)
    const small = connectionPlan('ws://h', { symbols: ['AUSDT'], streams: ['ausdt@trade'] })
    expect(small).toMatchObject({ url: 'ws://h/stream?streams=ausdt@trade', subscribeLater: [] })
  })

  it('batches SUBSCRIBE messages with distinct ids', () => {
    const streams = Array.from({ length: 450 }, (_, i) => `s${i}@trade`)
    const messages = subscribeMessages(streams, 7)
    expect(messages.map((m) => [m.method, m.id, m.params.length])).toEqual([
      ['SUBSCRIBE', 7, 200],
      ['SUBSCRIBE', 8, 200],
      ['SUBSCRIBE', 9, 50],
    ])
    expect(messages.flatMap((m) => m.params)).toEqual(streams)
    expect(subscribeMessages([], 1)).toEqual([])
  })
})

describe('connection attempt limit', () => {
  it('bounds reconnect attempts per 5 minutes from the backoff settings', () => {
    // Defaults: the first attempt, then shortest delays 0.5, 1, 2, 4, 8, 16 s and 30 s each: 15 in 5 min.
    const fiveMinutes = 5 * 60_000
    expect(worstCaseConnectAttempts({}, fiveMinutes)).toBe(15)
    expect(worstCaseConnectAttempts({ initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: 0 }, fiveMinutes)).toBe(300)
    expect(worstCaseConnectAttempts({ jitter: 1 }, fiveMinutes)).toBe(Infinity)
  })

  it('rejects settings under which all connections failing together exceed 300 attempts per 5 minutes', () => {
    const symbols = (n: number): string[] => Array.from({ length: n }, (_, i) => `S${i}USDT`)
    expect(() => resolveBinanceOptions({ symbols: symbols(20), channels: ['trades'], maxStreamsPerConnection: 1 })).not.toThrow()
    expect(() => resolveBinanceOptions({ symbols: symbols(21), channels: ['trades'], maxStreamsPerConnection: 1 })).toThrow(InvalidArgumentError)
    expect(() =>
      resolveBinanceOptions({
        symbols: ['AUSDT', 'BUSDT'],
        channels: ['trades'],
        maxStreamsPerConnection: 1,
        initialBackoffMs: 50,
        maxBackoffMs: 500,
      }),
    ).toThrow(/attempts per 5 min/)
    // Against a custom endpoint (a fake exchange) Binance's per-IP limit does not apply.
    expect(
      resolveBinanceOptions({
        symbols: ['AUSDT', 'BUSDT'],
        channels: ['trades'],
        maxStreamsPerConnection: 1,
        initialBackoffMs: 50,
        maxBackoffMs: 500,
        wsUrl: 'ws://127.0.0.1:1',
      }).connections,
    ).toHaveLength(2)
  })
})
