/**
 * The replay format: JSONL, one frame per line, identical to the captures in
 * `fixtures/` (see fixtures/README.md). A capture written by `CaptureProxy`
 * may start with a `meta` line; sessions skip it (see `parseCapture`).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One line of a recorded session. */
export interface SessionFrame {
  /** Capture time, Unix epoch milliseconds (the fraction holds the microseconds). */
  readonly t: number
  /** `in`: sent by the exchange; `out`: sent by the client; `rest`: a REST response body. */
  readonly dir: 'in' | 'out' | 'rest'
  /** The frame or body, parsed JSON. `null` on an `out` line that only records the URL the client opened, and on a frame that is not JSON (see `raw`). */
  readonly data: unknown
  /** For `rest`: the request URL. For a URL-only `out` line: the WebSocket URL. */
  readonly url?: string
  /**
   * Send this exact text instead of `JSON.stringify(data)`: a frame that is not JSON, or whose
   * re-encoding would differ from what was received (big integers, spacing). With `binary`, the
   * frame's bytes in base64.
   */
  readonly raw?: string
  /** `raw` is base64 of a binary WebSocket frame, replayed as a binary frame. Default false. */
  readonly binary?: boolean
  /**
   * The WebSocket connection an `in`/`out` line belongs to: 1, 2, … in the order the client opened
   * them; its URL is on that connection's URL-only `out` line. Absent in single-socket captures.
   */
  readonly conn?: number
  /** For `rest`: the HTTP status when it was not 200. */
  readonly status?: number
}

/**
 * Parses JSONL session text. Blank lines are ignored, and so is a `meta` line on the first
 * non-blank line (a capture's header, read by `parseCapture`).
 *
 * @throws Error naming the line number when a line is not a session frame
 */
export function parseSession(text: string): SessionFrame[] {
  const frames: SessionFrame[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    let frame: SessionFrame
    try {
      frame = JSON.parse(line) as SessionFrame
    } catch (error) {
      throw new Error(`Session line ${i + 1} is not JSON`, { cause: error })
    }
    if (frame === null || typeof frame !== 'object') throw new Error(`Session line ${i + 1} is not a JSON object`)
    if ((frame.dir as string) === 'meta' && typeof frame.t === 'number' && isFirstLine(lines, i)) continue
    if (typeof frame.t !== 'number' || (frame.dir !== 'in' && frame.dir !== 'out' && frame.dir !== 'rest')) {
      throw new Error(`Session line ${i + 1} needs a numeric "t" and "dir" of in, out or rest${i === 0 ? ' (or meta)' : ''}`)
    }
    if (frame.dir === 'rest' && typeof frame.url !== 'string') {
      throw new Error(`Session line ${i + 1} is a rest line without "url"`)
    }
    if (frame.conn !== undefined && !(Number.isInteger(frame.conn) && frame.conn > 0)) {
      throw new Error(`Session line ${i + 1} has "conn" ${JSON.stringify(frame.conn)}; expected a whole number ≥ 1`)
    }
    if (frame.binary === true && typeof frame.raw !== 'string') {
      throw new Error(`Session line ${i + 1} is binary without "raw" (base64)`)
    }
    frames.push(frame)
  }
  return frames
}

/**
 * Reads a JSONL session file (a path or a `file:` URL).
 *
 * @example const session = loadSession(fixturePath('binance/spot-2021-10-12.jsonl'))
 */
export function loadSession(file: string | URL): SessionFrame[] {
  return parseSession(readFileSync(filePath(file), 'utf8'))
}

/** A path from a path or a `file:` URL. */
export function filePath(file: string | URL): string {
  return typeof file === 'string' && !file.startsWith('file:') ? file : fileURLToPath(file)
}

/** The text a session frame is sent as (base64 for a binary frame). */
export function frameText(frame: SessionFrame): string {
  return frame.raw ?? JSON.stringify(frame.data)
}

/** What a session frame is sent as: its text, or the bytes of a binary frame. */
export function frameMessage(frame: SessionFrame): string | Buffer {
  return frame.binary === true ? Buffer.from(frame.raw ?? '', 'base64') : frameText(frame)
}

function isFirstLine(lines: readonly string[], index: number): boolean {
  for (let i = 0; i < index; i++) if (lines[i]!.trim() !== '') return false
  return true
}
