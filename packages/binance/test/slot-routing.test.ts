import { describe, expect, it } from 'vitest'
import { SlotRouting } from '../src/slot-routing.js'
import { BarDedupe } from '../src/dedupe.js'

describe('SlotRouting', () => {
  it('holds a replacement until the rotation completes, then hands over', () => {
    const routing = new SlotRouting<string>()
    expect(routing.connected(1)).toBe('fresh')
    expect(routing.connected(2)).toBe('replacement')
    expect(routing.route(1)).toBe('source')
    expect(routing.route(2)).toBe('hold')
    expect(routing.route(9)).toBe('ignore')
    expect(routing.isBeingReplaced(1)).toBe(true)
    expect(routing.isBeingReplaced(2)).toBe(false)
    routing.hold('a')
    routing.hold('b')
    expect(routing.complete(9)).toBe(undefined)
    expect(routing.complete(2)).toEqual(['a', 'b'])
    expect(routing.route(2)).toBe('source')
    expect(routing.route(1)).toBe('ignore')
    expect(routing.isBeingReplaced(2)).toBe(false)
  })

  it('forgets a replacement that failed before taking over, and what it delivered', () => {
    const routing = new SlotRouting<string>()
    routing.connected(1)
    routing.connected(2)
    routing.hold('a')
    routing.replacementFailed(2)
    expect(routing.route(2)).toBe('ignore')
    expect(routing.route(1)).toBe('source')
    expect(routing.connected(3)).toBe('replacement')
    expect(routing.heldCount).toBe(0)
  })

  it('lets a replacement still being subscribed carry on when the source is lost', () => {
    const routing = new SlotRouting<string>()
    routing.connected(1)
    routing.connected(2)
    routing.hold('a')
    expect(routing.lost(1)).toEqual({ taken: ['a'] })
    expect(routing.route(2)).toBe('source')
  })

  it('forgets both sockets when the replacement is lost during the overlap, so the reconnect starts fresh', () => {
    const routing = new SlotRouting<string>()
    routing.connected(1)
    routing.connected(2)
    expect(routing.lost(2)).toEqual({ taken: undefined })
    expect(routing.route(1)).toBe('ignore')
    expect(routing.connected(3)).toBe('fresh')
    expect(routing.lost(99)).toBe(undefined)
  })
})

describe('BarDedupe', () => {
  it('drops bar updates that are not newer', () => {
    const dedupe = new BarDedupe()
    const bar = (openTime: number, timestamp: number) =>
      ({ type: 'bar', exchange: 'binance', symbol: 'X', interval: '1m', openTime, timestamp }) as never
    expect(dedupe.bar(bar(60, 100))).toBe(true)
    expect(dedupe.bar(bar(60, 100))).toBe(false)
    expect(dedupe.bar(bar(60, 90))).toBe(false)
    expect(dedupe.bar(bar(60, 110))).toBe(true)
    expect(dedupe.bar(bar(0, 200))).toBe(false)
    expect(dedupe.bar(bar(120, 130))).toBe(true)
  })
})
