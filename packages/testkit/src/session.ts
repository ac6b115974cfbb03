/**
 * The replay format: JSONL, one frame per line, identical to the captures in
 * `fixtures/` (see fixtures/README.md).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One line of a recorded session. */
export interface SessionFrame {
  /** Capture time, Unix epoch milliseconds (the fraction holds the microseconds). */
  readonly t: number
  /** `in`: sent by the exchange; `out`: sent by the client; `rest`: a REST response body. */
  readonly dir: 'in' | 'out' | 'rest'
  /** The frame or body, parsed JSON. `null` on an `out` line that only records the URL the client opened. */
  readonly data: unknown
  /** For `rest`: the request URL. For a URL-only `out` line: the WebSocket URL. */
  readonly url?: string
  /**
   * Send this exact text instead of `JSON.stringify(data)` (not in captures; lets a test
   * put a malformed frame into a session).
   */
  readonly raw?: string
}

/**
 * Parses JSONL session text. Blank lines are ignored.
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
    if (typeof frame.t !== 'number' || (frame.dir !== 'in' && frame.dir !== 'out' && frame.dir !== 'rest')) {
      throw new Error(`Session line ${i + 1} needs a numeric "t" and "dir" of in, out or rest`)
    }
    if (frame.dir === 'rest' && typeof frame.url !== 'string') {
      throw new Error(`Session line ${i + 1} is a rest line without "url"`)
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
  const path = typeof file === 'string' && !file.startsWith('file:') ? file : fileURLToPath(file)
  return parseSession(readFileSync(path, 'utf8'))
}

/** The text a session frame is sent as. */
export function frameText(frame: SessionFrame): string {
  return frame.raw ?? JSON.stringify(frame.data)
}
