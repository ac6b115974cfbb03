/**
 * Frame → normalized events. Pure and synchronous: no socket, no promise per
 * frame, so it is cheap on the hot path and testable with literal frames.
 */
import { msToMicros } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import type { __CLASS__Frame } from './wire.js'

/** Parses one frame; throws on malformed input (the base counts and logs it). */
export function parseFrame(raw: string, localTimestamp: number): MarketEvent[] {
  const frame = JSON.parse(raw) as __CLASS__Frame
  if (frame.channel === 'trades') {
    return [
      {
        type: 'trade',
        exchange: '__ID__',
        symbol: frame.symbol,
        id: frame.id,
        price: Number(frame.price),
        amount: Number(frame.qty),
        side: frame.side,
        timestamp: msToMicros(frame.ts),
        localTimestamp,
      },
    ]
  }
  return []
}
