#!/usr/bin/env node
/**
 * `dccd-serve-fixture <file> [--port N] [--speed S] [--loop]`: serves a recorded session (a JSONL
 * replay, or a raw cryptofeed capture) on 127.0.0.1 for manual runs, and prints its URLs. Every
 * WebSocket connection gets the replay; its `rest` lines answer GETs. Ctrl-C stops it.
 */
import { readFileSync, realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseCryptofeedCapture } from '../cryptofeed-capture.js'
import { FakeExchange } from '../fake-exchange.js'
import { parseSession, type SessionFrame } from '../session.js'

const USAGE = 'Usage: dccd-serve-fixture <file> [--port N] [--speed S] [--loop]'

/** What the command line asks for. */
export interface ServeFixtureOptions {
  readonly file: string
  /** 0: a free port. */
  readonly port: number
  /** As `ReplayOptions.speed`: 0 as fast as possible, 1 real time. */
  readonly speed: number
  readonly loop: boolean
}

/**
 * @example parseServeArgs(['spot.jsonl', '--speed', '1']) // { file: 'spot.jsonl', port: 0, speed: 1, loop: false }
 * @throws Error with the usage line for an unknown flag, a missing file or a bad number
 */
export function parseServeArgs(argv: readonly string[]): ServeFixtureOptions {
  let file: string | undefined
  let port = 0
  let speed = 0
  let loop = false
  const number = (flag: string, text: string | undefined, valid: (n: number) => boolean): number => {
    const n = Number(text)
    if (text === undefined || text.trim() === '' || !valid(n)) throw new Error(`${flag} needs a number, got ${JSON.stringify(text)}. ${USAGE}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--port') port = number(arg, argv[++i], (n) => Number.isInteger(n) && n >= 0 && n < 65536)
    else if (arg === '--speed') speed = number(arg, argv[++i], (n) => n >= 0 && Number.isFinite(n))
    else if (arg === '--loop') loop = true
    else if (arg.startsWith('-') || file !== undefined) throw new Error(`Unexpected argument ${JSON.stringify(arg)}. ${USAGE}`)
    else file = arg
  }
  if (file === undefined) throw new Error(`No session file given. ${USAGE}`)
  return { file, port, speed, loop }
}

/** A session file's frames: JSONL when its first line is a JSON object, else a raw cryptofeed capture. */
export function readFixture(file: string): SessionFrame[] {
  const text = readFileSync(file, 'utf8')
  const first = text.split('\n').find((line) => line.trim() !== '') ?? ''
  return first.trimStart().startsWith('{') ? parseSession(text) : parseCryptofeedCapture(text)
}

/** Starts the fake exchange replaying `options.file` and reports its URLs through `log`. */
export async function serveFixture(options: ServeFixtureOptions, log: (line: string) => void = console.log): Promise<FakeExchange> {
  const session = readFixture(options.file)
  const fx = await FakeExchange.start({ port: options.port })
  // A client opened after the replay ended still gets the whole session.
  fx.replay(session, { speed: options.speed, loop: options.loop })
  fx.restFromSession(session)
  const count = (dir: SessionFrame['dir']): number => session.filter((frame) => frame.dir === dir).length
  log(`ws   ${fx.wsUrl}`)
  log(`rest ${fx.restUrl}`)
  log(
    `replaying ${options.file}: ${count('in')} frames, ${count('rest')} REST answers, speed ${options.speed}${options.loop ? ', looping' : ''}; ` +
      `the replay waits at each recorded client message (${count('out')} out lines) until the client has sent as many. Ctrl-C stops.`,
  )
  return fx
}

async function main(): Promise<void> {
  let options: ServeFixtureOptions
  try {
    options = parseServeArgs(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
  const fx = await serveFixture(options)
  const stop = (): void => void fx.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

// Run only as the command (npm links bins through symlinks, hence realpath), not when imported.
const invoked = process.argv[1] === undefined ? undefined : pathToFileURL(realpathSync(process.argv[1])).href
if (invoked === import.meta.url) void main()
