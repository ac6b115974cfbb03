import { readFileSync } from 'node:fs'
import type { Feed, MarketEvent } from '@dccd/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as transport from '../src/index.js'
import { MarketFeed } from '../src/index.js'

describe('@dccd/transport public surface', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(transport).sort()).toEqual([
      'MarketFeed',
      'RestClient',
      'SnapshotScheduler',
      'StreamStateError',
      'WebSocketBase',
      'worstCaseConnectAttempts',
    ])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual([
      'BarRecoveryOptions',
      'Connection',
      'FrameContext',
      'InputContext',
      'MarketFeedSettings',
      'MarketFeedSlot',
      'Permit',
      'RateLimit',
      'RequestOptions',
      'RestClientOptions',
      'RestLimiter',
      'SnapshotProgress',
      'SnapshotSchedulerOptions',
      'TradeRecoveryOptions',
      'TransportStats',
      'WebSocketOptions',
    ])
    expect(source).not.toMatch(/export \*/)
  })

  it('a MarketFeed subclass satisfies core’s Feed', () => {
    class ExampleFeed extends MarketFeed {
      protected parseMessage(): MarketEvent[] {
        return []
      }
    }
    const feed: Feed = new ExampleFeed({ exchange: 'example', slots: [{ url: 'ws://127.0.0.1:1', symbols: ['X'] }] })
    expect(feed.positions()).toEqual({})
    expectTypeOf(feed.stream()).toEqualTypeOf<AsyncIterableIterator<MarketEvent>>()
    expect(Object.keys(feed.stats)).toEqual(expect.arrayContaining(['frames', 'records', 'parseErrors', 'reconnects']))
    expect(feed.stats.frames).toBe(0)
  })
})
