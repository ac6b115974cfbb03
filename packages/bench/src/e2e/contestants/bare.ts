/**
 * The floor: a bare `ws` client that `JSON.parse`s every frame and counts
 * the data frames. A user's real alternative to a library does at least this.
 */
import { readFrames } from './frame-reader.js'
import type { ContestantRun, ContestantSpec, Progress } from './run.js'

export function runBare(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  return readFrames(spec, progress, {
    instrument: false,
    onMessage: () => {},
    finish: (elapsedMs, frames) => ({ elapsedMs, frames, problems: [] }),
  })
}
