/**
 * The socket loop the bare and the hand-written Kraken clients share: a bare
 * `ws` client that sends the subscriptions, `JSON.parse`s every frame, hands
 * each to the client, and clocks the data frames from the first to the
 * session's last, then closes.
 */
import WebSocket from 'ws'
import type { ContestantRun, ContestantSpec, Progress } from './run.js'
import { isDataFrame, socketUrl, subscribeRequests } from './wire.js'

export interface FrameReaderOptions<M> {
  /** Subscribe to Kraken's `instrument` channel too (for checksum precisions). */
  readonly instrument: boolean
  /** Each parsed frame, data or not, in order. */
  readonly onMessage: (message: M) => void
  /** The run's result once the last data frame is handled. */
  readonly finish: (elapsedMs: number, frames: number) => ContestantRun
}

export function readFrames<M extends { stream?: unknown; channel?: unknown }>(
  spec: ContestantSpec,
  progress: Progress,
  options: FrameReaderOptions<M>,
): Promise<ContestantRun> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(spec))
    let frames = 0
    let first = 0
    ws.on('error', reject)
    ws.on('open', () => {
      for (const request of subscribeRequests(spec, options.instrument)) ws.send(request)
    })
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as M
      const isData = isDataFrame(message)
      if (isData && frames === 0) first = performance.now()
      options.onMessage(message)
      if (!isData) return
      progress.items = ++frames
      if (frames === spec.frames) {
        const elapsedMs = performance.now() - first
        ws.close()
        resolve(options.finish(elapsedMs, frames))
      }
    })
  })
}
