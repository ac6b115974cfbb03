import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parseServeArgs, serveFixture } from '../src/bin/serve-fixture.js'
import { FakeExchange, fixturePath } from '../src/index.js'
import { connect } from './support/client.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('dccd-serve-fixture arguments', () => {
  it('reads the file, --port, --speed and --loop, with defaults', () => {
    expect(parseServeArgs(['a.jsonl'])).toEqual({ file: 'a.jsonl', port: 0, speed: 0, loop: false })
    expect(parseServeArgs(['--speed', '1.5', 'a.jsonl', '--loop', '--port', '9000'])).toEqual({ file: 'a.jsonl', port: 9000, speed: 1.5, loop: true })
  })

  it('refuses a missing file, an unknown flag, a second file and a bad number, with the usage line', () => {
    expect(() => parseServeArgs([])).toThrow(/No session file given\. Usage: dccd-serve-fixture <file>/)
    expect(() => parseServeArgs(['a', '--fast'])).toThrow(/Unexpected argument "--fast"/)
    expect(() => parseServeArgs(['a', 'b'])).toThrow(/Unexpected argument "b"/)
    expect(() => parseServeArgs(['a', '--port', '70000'])).toThrow(/--port needs a number, got "70000"/)
    expect(() => parseServeArgs(['a', '--speed'])).toThrow(/--speed needs a number, got undefined/)
  })
})

describe('serveFixture', () => {
  it('serves a JSONL replay on 127.0.0.1 and prints its URLs', async () => {
    const lines: string[] = []
    fx = await serveFixture({ file: fixturePath('spot-2021-10-12.jsonl'), port: 0, speed: 0, loop: false }, (line) => lines.push(line))
    expect(lines.slice(0, 2)).toEqual([`ws   ${fx.wsUrl}`, `rest ${fx.restUrl}`])
    expect(lines[2]).toMatch(/265 frames, 4 REST answers, speed 0;/)
    const client = await connect(`${fx.wsUrl}/stream`)
    expect(JSON.parse((await client.waitForFrames(1))[0]!).stream).toBe('nknusdt@depth@100ms')
    const depth = await fetch(`${fx.restUrl}/api/v3/depth?symbol=NKNUSDT&limit=1000`)
    expect(((await depth.json()) as { lastUpdateId: number }).lastUpdateId).toBe(499869752)
  })

  it('serves a raw cryptofeed capture as well', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dccd-serve-')), 'KRAKEN.ws.1.0')
    writeFileSync(file, 'wss://ws.kraken.com <-> 1.0\n1.5: {"event":"heartbeat"}\n2.0: {"event":"heartbeat","n":2}\n')
    fx = await serveFixture({ file, port: 0, speed: 0, loop: false }, () => {})
    const client = await connect(fx.wsUrl)
    expect(await client.waitForFrames(2)).toEqual(['{"event":"heartbeat"}', '{"event":"heartbeat","n":2}'])
  })

  it('runs as a command, prints the URLs, and serves until it is stopped', async () => {
    const bin = fileURLToPath(new URL('../src/bin/serve-fixture.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', bin, fixturePath('spot-2021-10-12.jsonl'), '--loop'], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const wsUrl = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const match = /^ws {3}(ws:\/\/127\.0\.0\.1:\d+)$/m.exec(out)
          if (match !== null) resolve(match[1]!)
        })
        child.once('exit', (code) => reject(new Error(`exited with ${code} before printing its URL: ${out}`)))
      })
      const client = await connect(`${wsUrl}/stream`)
      expect((await client.waitForFrames(3)).length).toBeGreaterThanOrEqual(3)
      client.ws.close()
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }, 20_000)
})
