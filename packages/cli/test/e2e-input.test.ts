// Bad input fails before anything is recorded, with exit code 2 and one line naming the bad value.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { main } from '../src/index.js'
import { runDccd } from './helpers/spawn.js'

let cwd: string
let url: string

beforeAll(() => {
  cwd = fakexProject()
  url = writeScript(cwd, { events: [], unknownSymbols: ['NOPE'] })
  writeFileSync(join(cwd, 'a-file'), 'not a folder')
})

const cases: [string, string[], RegExp | string][] = [
  ['an unknown exchange', ['record', 'nosuchx', 'BTCUSD'], /^dccd: unknown exchange "nosuchx"; installed: .*fakex/],
  ['an unknown channel', ['record', 'fakex', 'BTCUSD', '--channels', 'trades,tradez'], 'fakex channel "tradez". Valid: trades, book, bars:1m'],
  ['an unknown bar interval', ['record', 'fakex', 'BTCUSD', '--channels', 'bars:7m'], '"bars:7m"'],
  ['a malformed symbol', ['record', 'fakex', 'btc-usd'], 'symbol "btc-usd" (malformed)'],
  ['an --out under a regular file', ['record', 'fakex', 'BTCUSD', '--out', 'a-file/data'], 'cannot write --out "a-file/data": a path component is a regular file'],
  ['a bad --duration', ['record', 'fakex', 'BTCUSD', '--duration', 'soon'], 'invalid --duration "soon"; use a duration such as 30s, 10m, 1h'],
  ['a bad --format', ['record', 'fakex', 'BTCUSD', '--format', 'xml'], /argument 'xml' is invalid. Allowed choices are parquet, jsonl, csv/],
  ['a bad --book-snapshots', ['record', 'fakex', 'BTCUSD', '--book-snapshots', '20'], 'invalid --book-snapshots "20"'],
  ['an unknown option', ['record', 'fakex', 'BTCUSD', '--nope'], /unknown option '--nope'/],
  ['a missing symbol', ['record', 'fakex'], 'missing symbol'],
  ['a missing --config file', ['record', '--config', 'none.yaml'], 'cannot read --config "none.yaml": ENOENT'],
  ['an unknown command', ['recrod'], /unknown command 'recrod'/],
  ['watch with an unknown exchange', ['watch', 'nosuchx', 'BTCUSD'], 'unknown exchange "nosuchx"'],
  ['read of a missing path', ['read', 'nowhere'], 'no such file or folder "nowhere"'],
]

/** Relative paths in the cases mean the project folder, as they do for the spawned process. */
const inProject = (args: string[]): string[] =>
  args.map((arg, i) => (['--out', '--config', 'read'].includes(args[i - 1] ?? '') || (args[0] === 'read' && i === 1) ? join(cwd, arg) : arg))

describe('bad input (end to end)', { timeout: 60_000 }, () => {
  // In-process through `main`, as the binary runs it (a spawned process per case cost most of this file's
  // 40 s); the real process is exercised by the cases after the loop.
  for (const [what, args, message] of cases) {
    it(`${what} exits 2 with a one-line message before recording anything`, async () => {
      let stderr = ''
      const io = { out: () => {}, err: (text: string) => void (stderr += text), errIsTTY: false, outIsTTY: false }
      const argv = inProject(args[0] === 'record' ? [...args, '--ws-url', url] : args)
      expect(await main(argv, { io, discovery: { cwd } })).toBe(2)
      const lines = stderr.replaceAll(cwd + '/', '').trim().split('\n')
      expect(lines.filter((line) => !line.startsWith('(Did you mean'))).toHaveLength(1)
      if (typeof message === 'string') expect(lines[0]).toContain(message)
      else expect(lines[0]).toMatch(message)
      expect(existsSync(join(cwd, 'data'))).toBe(false)
    })
  }

  it('the real process exits 2 with the one line on an unknown exchange', async () => {
    const result = await runDccd(['record', 'nosuchx', 'BTCUSD'], cwd)
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dccd: unknown exchange "nosuchx"; installed: .*\bfakex\b/)])
  })

  it('a symbol the exchange does not list exits 2 naming it', async () => {
    const result = await runDccd(['record', 'fakex', 'NOPE', '--out', 'unlisted', '--ws-url', url], cwd)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('symbol "NOPE" (not listed by the exchange)')
  })

  it('--help documents the options, examples and exit codes, and exits 0', async () => {
    const result = await runDccd(['record', '--help'], cwd)
    expect(result.code).toBe(0)
    for (const text of ['--channels', '--out', '--format', '--duration', '--book-snapshots', '--ws-url', '--rest-url', '--config', 'Examples:', 'Exit codes:', '2    bad input']) {
      expect(result.stdout).toContain(text)
    }
    const top = await runDccd(['--help'], cwd)
    expect(top.code).toBe(0)
    for (const command of ['record', 'watch', 'exchanges', 'read']) expect(top.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'))
  })
})
