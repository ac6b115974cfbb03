import type { SessionFrame } from '../session.js'

/** The text the suite injects: not JSON, and not anything an exchange would send. */
export const MALFORMED_FRAME = 'this is {not json'

/**
 * A copy of `session` with {@link MALFORMED_FRAME} in the middle of its `in` frames, after
 * the last `out` line, so the subscription is done and later frames still carry data.
 */
export function withMalformedFrame(session: readonly SessionFrame[]): SessionFrame[] {
  const inIndexes = session.flatMap((frame, index) => (frame.dir === 'in' ? [index] : []))
  const lastOut = session.findLastIndex((frame) => frame.dir === 'out' && frame.data !== null)
  const middle = inIndexes[Math.floor(inIndexes.length / 2)] ?? 0
  const at = Math.max(middle, lastOut + 1)
  const copy = session.slice()
  copy.splice(at, 0, { t: session[Math.max(0, at - 1)]?.t ?? 0, dir: 'in', data: null, raw: MALFORMED_FRAME })
  return copy
}

/**
 * A copy of `session` ending with {@link MALFORMED_FRAME}: once the feed counts it as a parse
 * error, every frame before it on that connection has been processed. For replays where not
 * every frame sent is received (a socket the client closes while frames are in flight).
 */
export function withEndMarker(session: readonly SessionFrame[]): SessionFrame[] {
  const last = session.findLast((frame) => frame.dir === 'in')?.t ?? 0
  return [...session, { t: last, dir: 'in', data: null, raw: MALFORMED_FRAME }]
}
