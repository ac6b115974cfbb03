// `dccd capture` and `dccd replay` in-process through `main`: the real Binance adapter captured through the
// testkit's recording proxy from a fake exchange replaying Binance's captured 2021-10-12 session, then replayed.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { exchange as binance } from '@dccd/binance'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange, loadSession, parseCapture, replaySession } from '@dccd/testkit'
import { main } from '../src/index.js'
import { until } from './helpers/until.js'

const SESSION = new URL('../../binance/test/fixtures/spot-2021-10-12.replay.jsonl', import.meta.url)
const SYMBOLS = ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR']
const CHANNELS = ['trades', 'book', 'bars:1m']

let dir: string
let fx: FakeExchange | undefined
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dccd-capture-'))
  writeFileSync(join(dir, 'a-file'), 'not a folder')
})
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

function bufferIo(): { io: { out: (t: string) => void; err: (t: string) => void; errIsTTY: false; outIsTTY: false }; stdout: () => string; stderr: () => string } {
  let stdout = ''
  let stderr = ''
  return {
    io: { out: (text) => void (stdout += text), err: (text) => void (stderr += text), errIsTTY: false, outIsTTY: false },
    stdout: () => stdout,
    stderr: () => stderr,
  }
}

const lines = (file: string, dir: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line.includes(`"dir":"${dir}"`)).length : 0)
/**
 * The events without what the local clock gave them: `localTimestamp`, and `timestamp` where the adapter had no
 * exchange time and used the receive time (a Binance spot REST depth snapshot carries none).
 */
const withoutLocalTime = (events: readonly MarketEvent[]): unknown[] =>
  events.map(({ localTimestamp, ...rest }) => ('timestamp' in rest && rest.timestamp === localTimestamp ? { ...rest, timestamp: 'local' } : rest))

describe('dccd capture and dccd replay (end to end, in-process)', { timeout: 30_000 }, () => {
  it('captures every frame both ways and the REST bodies, and replaying the capture gives the session’s events', async () => {
    const session = loadSession(SESSION)
    fx = await FakeExchange.start()
    fx.replay(session)
    fx.restFromSession(session)
    const file = join(dir, 'session.jsonl')
    const capture = bufferIo()
    const capturing = main(['capture', 'binance', ...SYMBOLS, '--channels', CHANNELS.join(','), '--out', file, '--ws-url', fx.wsUrl, '--rest-url', fx.restUrl], { io: capture.io })
    const inFrames = session.filter((frame) => frame.dir === 'in').length
    // exchangeInfo (symbols are validated) and the four depth snapshots.
    await until(() => lines(file, 'in') === inFrames && lines(file, 'rest') === 5, 'the whole session in the capture file')
    process.emit('SIGTERM')
    expect(await capturing).toBe(0)
    expect(capture.stderr()).toMatch(new RegExp(`captured ${inFrames} frames in, 0 out, 5 REST call\\(s\\) on 1 socket\\(s\\), \\d+ bytes into ${file}`))

    const { meta, frames } = parseCapture(readFileSync(file, 'utf8'))
    expect(meta).toMatchObject({ format: 1, exchange: 'binance', symbols: SYMBOLS, channels: CHANNELS, wsUrl: fx.wsUrl, restUrl: fx.restUrl, options: { validateSymbols: true } })
    expect(frames.filter((frame) => frame.dir === 'in').map((frame) => frame.data)).toEqual(session.filter((frame) => frame.dir === 'in').map((frame) => frame.data))
    const opened = frames.filter((frame) => frame.dir === 'out')
    expect(opened).toHaveLength(1)
    expect(opened[0]!.url).toBe(`${fx.wsUrl}${fx.connections[0]!.path}`)
    const rest = frames.filter((frame) => frame.dir === 'rest')
    expect(rest.map((frame) => frame.url!.replace(fx!.restUrl, '')).sort()).toEqual([
      '/api/v3/depth?symbol=BLZETH&limit=1000',
      '/api/v3/depth?symbol=LRCBTC&limit=1000',
      '/api/v3/depth?symbol=NKNUSDT&limit=1000',
      '/api/v3/depth?symbol=RUNEEUR&limit=1000',
      '/api/v3/exchangeInfo',
    ])
    for (const frame of rest) {
      const path = frame.url!.replace(fx.restUrl, 'https://api.binance.com')
      expect(frame.data).toEqual(session.find((line) => line.dir === 'rest' && line.url === path)!.data)
    }

    // The original session through the same adapter, and `dccd replay` of the capture (no flags: the meta line).
    const original: MarketEvent[] = []
    for await (const event of replaySession(binance, session, { symbols: SYMBOLS, channels: CHANNELS as never, validateSymbols: true }).stream()) original.push(event)
    const replay = bufferIo()
    expect(await main(['replay', file], { io: replay.io })).toBe(0)
    const replayed = replay.stdout().trim().split('\n').map((line) => JSON.parse(line) as MarketEvent)
    expect(original.filter((event) => event.type === 'book' && event.isSnapshot)).toHaveLength(4)
    expect(withoutLocalTime(replayed)).toEqual(withoutLocalTime(original))
    expect(replay.stderr()).toContain(`replayed ${file}: ${replayed.length} events`)
  })

  it('dccd replay --out records the capture with the recorder, as dccd record does', async () => {
    const out = join(dir, 'data')
    const replay = bufferIo()
    expect(await main(['replay', SESSION.pathname, '--exchange', 'binance', '--symbols', SYMBOLS.join(','), '--channels', 'trades,book', '--out', out, '--format', 'jsonl'], { io: replay.io })).toBe(0)
    expect(replay.stderr()).toMatch(/\d+ file\(s\), \d+ rows sealed under/)
    expect(existsSync(join(out, 'binance', 'book', 'NKNUSDT'))).toBe(true)
  })
})

describe('dccd capture and dccd replay with bad input', () => {
  const urls = ['--ws-url', 'ws://127.0.0.1:9', '--rest-url', 'http://127.0.0.1:9']
  const out = (): string => join(dir, 'never.jsonl')
  const cases: [string, () => string[], string | RegExp][] = [
    ['an unknown exchange', () => ['capture', 'nosuchx', 'BTCUSDT', '--out', out(), ...urls], /unknown exchange "nosuchx"; installed: .*binance/],
    ['an unknown channel', () => ['capture', 'binance', 'BTCUSDT', '--channels', 'trades,tradez', '--out', out(), ...urls], 'channel "tradez". Valid: '],
    ['a malformed symbol', () => ['capture', 'binance', 'btc-usdt', '--out', out(), ...urls], '"btc-usdt"'],
    ['a bad --duration', () => ['capture', 'binance', 'BTCUSDT', '--duration', 'soon', '--out', out(), ...urls], 'invalid --duration "soon"; use a duration such as 30s'],
    ['a bad --ws-url', () => ['capture', 'binance', 'BTCUSDT', '--out', out(), '--ws-url', 'nope', '--rest-url', 'http://127.0.0.1:9'], 'invalid --ws-url "nope"'],
    ['an unwritable --out', () => ['capture', 'binance', 'BTCUSDT', '--out', join(dir, 'a-file', 'x.jsonl'), ...urls], /cannot write --out ".*a-file\/x.jsonl": ENOTDIR/],
    ['a missing capture', () => ['replay', join(dir, 'none.jsonl')], /cannot read capture ".*none.jsonl": ENOENT/],
    ['a malformed capture line', () => ['replay', written('bad.jsonl', '{"t":1,"dir":"in","data":{}}\n{"t":2,"dir":"sideways","data":{}}\n')], 'Session line 2 needs a numeric "t" and "dir"'],
    ['a capture without meta and no --exchange', () => ['replay', written('plain.jsonl', '{"t":1,"dir":"in","data":{}}\n')], 'has no meta line; give --exchange, --symbols, --channels'],
    ['a replay with an unknown channel', () => ['replay', SESSION.pathname, '--exchange', 'binance', '--symbols', 'NKNUSDT', '--channels', 'tradez'], 'channel "tradez"'],
  ]
  const written = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }
  for (const [what, args, message] of cases) {
    it(`${what} exits 2 with one line naming it, before any network use`, async () => {
      const { io, stderr, stdout } = bufferIo()
      expect(await main(args(), { io })).toBe(2)
      const first = stderr().trim().split('\n')
      expect(first).toHaveLength(1)
      if (typeof message === 'string') expect(first[0]).toContain(message)
      else expect(first[0]).toMatch(message)
      expect(stdout()).toBe('')
      expect(existsSync(out())).toBe(false)
    })
  }
})
