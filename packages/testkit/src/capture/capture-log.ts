/**
 * The line writer behind a capture: stamps each line with the capture time
 * and counts what went by, in the order the proxy saw it.
 */
import { performance } from 'node:perf_hooks'
import type { SessionFrame } from '../session.js'
import type { EncodedFrame } from './frame-encoding.js'

/** What a capture has written so far. */
export interface CaptureStats {
  /** WebSocket messages the exchange sent (`in` lines). */
  framesIn: number
  /** WebSocket messages the client sent (`out` lines, URL-only lines not counted). */
  framesOut: number
  /** REST responses recorded (`rest` lines). */
  restCalls: number
  /** WebSocket connections opened to the exchange. */
  connections: number
  /** Bytes written, line ends included (UTF-8). */
  bytes: number
}

/** Capture time: Unix epoch ms with the µs in the fraction, as the replay format's `t`. */
export function captureTime(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000
}

/** @internal Writes session lines through `write`, counting them. */
export class CaptureLog {
  readonly stats: CaptureStats = { framesIn: 0, framesOut: 0, restCalls: 0, connections: 0, bytes: 0 }

  constructor(private readonly write: (line: string) => void) {}

  /** Writes one line of JSON text (a `meta` line). */
  line(text: string): void {
    this.stats.bytes += Buffer.byteLength(text) + 1
    this.write(`${text}\n`)
  }

  /** A socket was opened: its URL-only `out` line; returns the connection's number. */
  opened(url: string): number {
    const conn = ++this.stats.connections
    this.#frame({ t: captureTime(), dir: 'out', conn, url, data: null })
    return conn
  }

  /** A WebSocket message, `in` (from the exchange) or `out` (from the client). */
  message(dir: 'in' | 'out', conn: number, encoded: EncodedFrame): void {
    if (dir === 'in') this.stats.framesIn++
    else this.stats.framesOut++
    this.#frame({ t: captureTime(), dir, conn, ...encoded })
  }

  /** A REST response: the upstream URL, its status when not 200, and its body. */
  rest(url: string, status: number, encoded: EncodedFrame): void {
    this.stats.restCalls++
    this.#frame({ t: captureTime(), dir: 'rest', url, ...(status === 200 ? {} : { status }), ...encoded })
  }

  #frame(frame: SessionFrame): void {
    this.line(JSON.stringify(frame))
  }
}
