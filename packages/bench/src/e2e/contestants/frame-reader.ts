/**
 * The socket loop the bare and the hand-written clients share: bare `ws`
 * clients (one per connection the exchange needs, ./wire.ts) that send the
 * subscriptions, `JSON.parse` every frame, hand each to the client, and
 * clock the data frames from the first (on any socket) to the session's
 * last, then close.
 */
import WebSocket from 'ws'
import type { ContestantRun, ContestantSpec, Progress } from './run.js'
import { isDataFrame, wireConnections, type WireMessage } from './wire.js'

export interface FrameReaderOptions<M> {
  /** Subscribe to Kraken's `instrument` channel too (for checksum precisions). */
  readonly instrument: boolean
  /** Each parsed frame, data or not, in the order its socket received it. */
  readonly onMessage: (message: M) => void
  /**
   * The run's result once the last data frame is handled (the clock has stopped). A promise lets a
   * client finish what the last frames started (a REST snapshot still on its way).
   */
  readonly finish: (elapsedMs: number, frames: number) => ContestantRun | Promise<ContestantRun>
}

export function readFrames<M extends WireMessage>(spec: ContestantSpec, progress: Progress, options: FrameReaderOptions<M>): Promise<ContestantRun> {
  return new Promise((resolve, reject) => {
    let frames = 0
    let first = 0
    const sockets = wireConnections(spec, options.instrument).map(({ url, requests }) => {
      const ws = new WebSocket(url)
      ws.on('error', reject)
      ws.on('open', () => {
        for (const request of requests) ws.send(request)
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
          for (const socket of sockets) socket.close()
          resolve(options.finish(elapsedMs, frames))
        }
      })
      return ws
    })
  })
}
