import type { Feed, MarketEvent } from '@dccd/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as transport from '../src/index.js'
import { WebSocketBase } from '../src/index.js'

describe('@dccd/transport public surface', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(transport).sort()).toEqual([
      'Backoff',
      'BoundedQueue',
      'RestClient',
      'StreamStateError',
      'TokenBucket',
      'WebSocketBase',
      'parseRetryAfter',
      'resolveWebSocketOptions',
    ])
  })

  it('a WebSocketBase<MarketEvent> subclass with an exchange id satisfies core’s Feed', () => {
    class ExampleFeed extends WebSocketBase<MarketEvent> {
      readonly exchange = 'example'
      protected parseMessage(): MarketEvent[] {
        return []
      }
    }
    const feed: Feed = new ExampleFeed('ws://127.0.0.1:1')
    expectTypeOf(feed.stream()).toEqualTypeOf<AsyncIterableIterator<MarketEvent>>()
    expect(Object.keys(feed.stats)).toEqual(expect.arrayContaining(['frames', 'records', 'parseErrors', 'reconnects']))
    expect(feed.stats.frames).toBe(0)
  })
})
