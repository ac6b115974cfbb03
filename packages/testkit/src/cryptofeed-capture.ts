/**
 * Converts raw captures written by cryptofeed's `AsyncFileCallback`
 * (bmoscon/cryptofeed, `cryptofeed/raw_data_collection.py`; its `sample_data/`
 * files such as `BINANCE.ws.1.0` and `BINANCE.http.0.0`) to the replay format.
 * One line per event, times in Unix seconds:
 *
 *   wss://host/path <-> 1633998511.159679          the client opened the socket
 *   wss://host/path <- 1633998511.2: {"op":…}       the client sent a frame
 *   1633998512.063357: {"stream":…}                 a frame received on the (only) socket
 *   https://host/api?q=1 -> 1633998512.32: {…}      a REST answer's body
 *   configuration: {…}                              the recorder's header (skipped)
 */
import type { SessionFrame } from './session.js'

const OPEN = /^(\S+) <-> (\d+(?:\.\d+)?)$/
const SENT_OR_REST = /^(\S+) (<-|->) (\d+(?:\.\d+)?): (.*)$/
const RECEIVED = /^(\d+(?:\.\d+)?): (.*)$/

/**
 * Converts one or more raw cryptofeed capture files (their text) to session frames. Several
 * files (a `.ws` and its `.http` file) are merged by time, each file keeping its own line order.
 * Times become milliseconds with the µs in the fraction (digits below 1 µs are dropped); bodies
 * are parsed as JSON, and `raw` keeps the captured text wherever re-encoding would change it (big
 * integers, spacing, Python byte strings of compressed frames), so a replay sends what was captured.
 *
 * @example
 * const session = parseCryptofeedCapture([readFileSync('BINANCE.ws.1.0', 'utf8'), readFileSync('BINANCE.http.0.0', 'utf8')])
 * writeFileSync('binance.jsonl', session.map((frame) => JSON.stringify(frame)).join('\n') + '\n')
 * @throws Error naming the file and line of a line that is no capture line, or of a second
 *   WebSocket URL (the replay format holds one socket)
 */
export function parseCryptofeedCapture(files: string | readonly string[]): SessionFrame[] {
  const parsed = (typeof files === 'string' ? [files] : files).map((text, file) => parseFile(text, file + 1))
  const merged = mergeByTime(parsed)
  let socketUrl: string | undefined
  for (const { frame, where } of merged) {
    if (frame.dir !== 'out' || frame.url === undefined) continue
    socketUrl ??= frame.url
    if (frame.url !== socketUrl) {
      throw new Error(`Capture ${where} opens ${frame.url} after ${socketUrl}; the replay format holds one WebSocket`)
    }
  }
  return merged.map((entry) => entry.frame)
}

interface Entry {
  readonly frame: SessionFrame
  /** `file 1 line 3`, for errors. */
  readonly where: string
}

function parseFile(text: string, file: number): Entry[] {
  const entries: Entry[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.trim() === '' || line.startsWith('configuration: ')) continue
    const where = `file ${file} line ${i + 1}`
    entries.push({ frame: parseLine(line, where), where })
  }
  return entries
}

function parseLine(line: string, where: string): SessionFrame {
  let match = OPEN.exec(line)
  if (match !== null) return { t: secondsToMs(match[2]!), dir: 'out', url: match[1]!, data: null }
  match = SENT_OR_REST.exec(line)
  if (match !== null) {
    const t = secondsToMs(match[3]!)
    if (match[2] === '<-') return { t, dir: 'out', ...body(match[4]!) }
    return { t, dir: 'rest', url: match[1]!, ...body(match[4]!) }
  }
  match = RECEIVED.exec(line)
  if (match !== null) return { t: secondsToMs(match[1]!), dir: 'in', ...body(match[2]!) }
  throw new Error(`Capture ${where} is not a cryptofeed capture line: ${line.slice(0, 120)}`)
}

/** The parsed body, with the captured text in `raw` when `JSON.stringify` would not reproduce it. */
function body(text: string): { data: unknown; raw?: string } {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { data: null, raw: text }
  }
  return JSON.stringify(data) === text ? { data } : { data, raw: text }
}

/**
 * `"1633998512.0633571"` (s) → 1633998512063.357 (ms, µs in the fraction). Done on the digits:
 * multiplying the float by 1000 would turn .357 ms into .35699999.
 */
function secondsToMs(seconds: string): number {
  const [whole, fraction = ''] = seconds.split('.')
  const digits = fraction.padEnd(6, '0')
  return Number(`${whole}${digits.slice(0, 3)}.${digits.slice(3, 6)}`)
}

/** Merges files by time; each file's lines keep their order (a file's clock may step back a little). */
function mergeByTime(files: readonly Entry[][]): Entry[] {
  const next = files.map(() => 0)
  const out: Entry[] = []
  for (;;) {
    let pick = -1
    for (let f = 0; f < files.length; f++) {
      const entry = files[f]![next[f]!]
      if (entry !== undefined && (pick < 0 || entry.frame.t < files[pick]![next[pick]!]!.frame.t)) pick = f
    }
    if (pick < 0) return out
    out.push(files[pick]![next[pick]!++]!)
  }
}
