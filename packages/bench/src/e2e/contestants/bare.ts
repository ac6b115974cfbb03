/**
 * The floor: a bare `ws` client that `JSON.parse`s every frame and counts
 * the data frames. A user's real alternative to a library does at least this.
 */
import WebSocket from 'ws'
import type { ContestantRun, ContestantSpec, Progress } from './run.js'
import { isDataFrame, socketUrl, subscribeRequests } from './wire.js'

export function runBare(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(spec))
    let frames = 0
    let first = 0
    ws.on('error', reject)
    ws.on('open', () => {
      for (const request of subscribeRequests(spec, false)) ws.send(request)
    })
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { stream?: unknown; channel?: unknown }
      if (!isDataFrame(message)) return
      if (frames === 0) first = performance.now()
      progress.items = ++frames
      if (frames === spec.frames) {
        const elapsedMs = performance.now() - first
        ws.close()
        resolve({ elapsedMs, frames, problems: [] })
      }
    })
  })
}
