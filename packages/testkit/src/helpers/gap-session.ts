/**
 * Sessions with holes: a recorded session minus the frames a test wants the
 * client never to receive (a dropped book update, a lost trade), with what
 * was dropped and where, so the test can check the adapter noticed.
 */
import type { SessionFrame } from '../session.js'

/** A session with frames removed. */
export interface DroppedFrames {
  /** The session without the dropped frames (the kept frames are the same objects, in order). */
  readonly session: SessionFrame[]
  /** What was dropped, with each frame's index in the original session, in order. */
  readonly dropped: ReadonlyArray<{ readonly index: number; readonly frame: SessionFrame }>
  /** For each frame of `session`, its index in the original session. */
  readonly originalIndex: readonly number[]
}

/**
 * Removes every frame `drop` selects.
 *
 * @example
 * const { session } = dropFrames(capture, (frame) => frame.dir === 'in' && isTradeOf(frame, 'BTCUSDT'))
 */
export function dropFrames(
  session: readonly SessionFrame[],
  drop: (frame: SessionFrame, index: number) => boolean,
): DroppedFrames {
  const kept: SessionFrame[] = []
  const originalIndex: number[] = []
  const dropped: Array<{ index: number; frame: SessionFrame }> = []
  session.forEach((frame, index) => {
    if (drop(frame, index)) {
      dropped.push({ index, frame })
    } else {
      kept.push(frame)
      originalIndex.push(index)
    }
  })
  return { session: kept, dropped, originalIndex }
}

/**
 * Removes one of the frames `candidate` selects: the first, the last, the middle one (default),
 * or the n-th (0-based) of them.
 *
 * @example
 * const { session, dropped } = dropOneFrame(capture, (frame) => isDepthUpdateOf(frame, 'BTCUSDT'))
 * @throws Error when no frame (or fewer than n + 1) is a candidate
 */
export function dropOneFrame(
  session: readonly SessionFrame[],
  candidate: (frame: SessionFrame, index: number) => boolean,
  pick: 'first' | 'middle' | 'last' | number = 'middle',
): DroppedFrames {
  const indexes = session.flatMap((frame, index) => (candidate(frame, index) ? [index] : []))
  const nth = pick === 'first' ? 0 : pick === 'last' ? indexes.length - 1 : pick === 'middle' ? Math.floor(indexes.length / 2) : pick
  const target = indexes[nth]
  if (target === undefined) {
    throw new Error(`No frame to drop: ${indexes.length} candidate(s) in a session of ${session.length}, asked for ${String(pick)}`)
  }
  return dropFrames(session, (_frame, index) => index === target)
}
