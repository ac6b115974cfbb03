/** Whether a case's replay has reached the consumer: every frame sent, counted, and its records read. */
import type { EventReader } from './event-reader.js'
import type { CaseContext } from './harness.js'

/**
 * True once every connection's replay has finished and the feed has counted as many frames as
 * the fake exchange sent (`stats.frames`), and nothing it parsed is still queued (`stats.queued`,
 * where the feed reports it). Call {@link EventReader.drain} after it for feeds without `queued`.
 */
export function replayDelivered(context: CaseContext, reader: EventReader): boolean {
  const { fx, replay } = context
  const stats = reader.feed.stats as { frames: number; queued?: unknown }
  return (
    fx.connections.length > 0 &&
    fx.connections.every((connection) => replay.isFinished(connection)) &&
    stats.frames >= fx.connections.reduce((sum, connection) => sum + connection.sentCount, 0) &&
    (typeof stats.queued !== 'number' || stats.queued === 0)
  )
}

/**
 * Reads until the whole replay has reached the consumer (see {@link replayDelivered}) and `also()`
 * holds (`alsoWhat` names it in a timeout), then drains.
 */
export async function readWholeReplay(
  context: CaseContext,
  reader: EventReader,
  also: () => boolean = () => true,
  alsoWhat?: string,
): Promise<void> {
  const what = 'the whole replay (stats.frames reaching the frames sent, nothing queued)'
  await reader.until(() => replayDelivered(context, reader) && also(), alsoWhat === undefined ? what : `${what} and ${alsoWhat}`)
  await reader.drain()
}
