import type { Feed, MarketEvent } from '@dccd/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { collectEvents, describeEvents, EventCollector } from '../src/helpers/index.js'

const trade = (id: number): MarketEvent => ({
  type: 'trade', exchange: 'x', symbol: 'AAA', id: String(id), price: 1, amount: 1, side: 'buy', timestamp: 1, localTimestamp: 1,
})

/** A feed yielding `events`, then ending, failing, or waiting forever. */
function feedOf(events: readonly MarketEvent[], after: 'end' | 'hang' | Error): Feed & { stopped: number } {
  const feed = {
    exchange: 'x',
    stats: { frames: 0, records: 0, parseErrors: 0, reconnects: 0 },
    stopped: 0,
    async stop() {
      feed.stopped++
    },
    positions: () => ({}),
    stream: async function* () {
      yield* events
      if (after === 'hang') await new Promise(() => {})
      if (after instanceof Error) throw after
    } as Feed['stream'],
  }
  return feed
}

afterEach(() => {
  vi.useRealTimers()
})

describe('EventCollector', () => {
  it('reads until the condition holds and keeps every event in order', async () => {
    const collector = new EventCollector(feedOf([trade(1), trade(2), trade(3)], 'hang'))
    const events = await collector.until((seen) => seen.length === 2, 'two trades')
    expect(events.map((e) => (e as { id: string }).id)).toEqual(['1', '2'])
    await collector.until((seen) => seen.length === 3)
    expect(collector.events).toHaveLength(3)
  })

  it('fails after timeoutMs naming what it waited for and what it read', async () => {
    vi.useFakeTimers()
    const collector = new EventCollector(feedOf([trade(7)], 'hang'), { timeoutMs: 50 })
    const waiting = collector.until(() => false, 'a resync')
    const failed = expect(waiting).rejects.toThrow(/Timed out after 50 ms waiting for a resync; read 1 events: trade\(AAA#7\)/)
    await vi.advanceTimersByTimeAsync(50)
    await failed
  })

  it('fails when the stream ends first, and passes on the stream error', async () => {
    await expect(new EventCollector(feedOf([trade(1)], 'end')).until(() => false, 'more')).rejects.toThrow(/stream ended while waiting for more/)
    await expect(new EventCollector(feedOf([], new Error('boom'))).until(() => false)).rejects.toThrow('boom')
  })

  it('collectEvents stops the feed whether the condition was met or not', async () => {
    const met = feedOf([trade(1), trade(2)], 'hang')
    expect(await collectEvents(met, (seen) => seen.length === 2)).toHaveLength(2)
    expect(met.stopped).toBe(1)
    const ended = feedOf([], 'end')
    await expect(collectEvents(ended, () => false)).rejects.toThrow(/stream ended/)
    expect(ended.stopped).toBe(1)
  })
})

describe('describeEvents', () => {
  it('writes statuses, books and trades compactly, the last ones only', () => {
    const events: MarketEvent[] = [
      { type: 'status', exchange: 'x', status: 'connected', localTimestamp: 1 },
      { type: 'book', exchange: 'x', symbol: 'AAA', isSnapshot: true, bids: [], asks: [], timestamp: 1, localTimestamp: 1 },
      trade(4),
      { type: 'status', exchange: 'x', status: 'gap', symbol: 'AAA', channel: 'trades', fromId: '5', toId: '6', localTimestamp: 1 },
    ]
    expect(describeEvents(events)).toBe('4 events: connected snap(AAA) trade(AAA#4) gap(AAA 5..6)')
    expect(describeEvents(events, 2)).toBe('4 events, the last 2: trade(AAA#4) gap(AAA 5..6)')
  })
})
