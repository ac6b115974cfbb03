/**
 * A capture file: an optional `meta` first line (what was captured, and how),
 * then the session frames. `parseSession` skips the `meta` line, so a capture
 * is a session for every other tool.
 */
import { readFileSync } from 'node:fs'
import { filePath, parseSession, type SessionFrame } from '../session.js'

/**
 * The first line of a capture, `{"t": …, "dir": "meta", "data": CaptureMeta}`: enough to replay it
 * with no flags.
 */
export interface CaptureMeta {
  /** Format version of the capture. 1. */
  readonly format: 1
  /** `ExchangeAdapter.id` of the adapter that was captured (`binance`). */
  readonly exchange: string
  /** Exchange-native symbols the feed subscribed to. */
  readonly symbols: readonly string[]
  /** Channels the feed subscribed to (`trades`, `book`, `bars:1m`). */
  readonly channels: readonly string[]
  /** Other feed options the capture ran with (JSON values only: `bookDepth`, `validateSymbols`, …). */
  readonly options?: Readonly<Record<string, unknown>>
  /** The real upstream WebSocket base URL; captured socket URLs start with it. */
  readonly wsUrl: string
  /** The real upstream REST base URL; captured `rest` URLs start with it. */
  readonly restUrl: string
  /** Version of the tool that wrote the capture (`@dccd/cli` 0.2.0), when known. */
  readonly dccd?: string
}

/** A capture read by {@link parseCapture}: its `meta` line (when it has one) and its frames. */
export interface CaptureFile {
  readonly meta?: CaptureMeta
  readonly frames: SessionFrame[]
}

/**
 * Parses a capture: a session whose first line may be a `meta` line.
 *
 * @example const { meta, frames } = parseCapture(readFileSync('session.jsonl', 'utf8'))
 * @throws Error naming the line number when a line is not a session frame, or the meta line lacks a field
 */
export function parseCapture(text: string): CaptureFile {
  const frames = parseSession(text)
  const lines = text.split('\n')
  const index = lines.findIndex((line) => line.trim() !== '')
  if (index < 0) return { frames }
  const first = JSON.parse(lines[index]!) as { dir?: unknown; data?: unknown }
  if (first.dir !== 'meta') return { frames }
  return { meta: checkMeta(first.data, index + 1), frames }
}

/**
 * Reads a capture file (a path or a `file:` URL).
 *
 * @example const { meta, frames } = loadCapture('session.jsonl')
 */
export function loadCapture(file: string | URL): CaptureFile {
  return parseCapture(readFileSync(filePath(file), 'utf8'))
}

/** The `meta` line of a capture. */
export function metaLine(meta: CaptureMeta, t: number): string {
  return JSON.stringify({ t, dir: 'meta', data: meta })
}

function checkMeta(data: unknown, line: number): CaptureMeta {
  const meta = data as Record<string, unknown> | null
  const strings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string')
  const problem =
    meta === null || typeof meta !== 'object'
      ? 'data is not an object'
      : meta.format !== 1
        ? `format ${JSON.stringify(meta.format)} is not 1`
        : typeof meta.exchange !== 'string'
          ? 'exchange is not a string'
          : !strings(meta.symbols) || !strings(meta.channels)
            ? 'symbols and channels must be lists of strings'
            : typeof meta.wsUrl !== 'string' || typeof meta.restUrl !== 'string'
              ? 'wsUrl and restUrl must be strings'
              : undefined
  if (problem !== undefined) throw new Error(`Session line ${line} is a meta line whose ${problem}`)
  return meta as unknown as CaptureMeta
}
