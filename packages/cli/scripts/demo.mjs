#!/usr/bin/env node
// `pnpm demo`: records from the testkit's fake exchange replaying real captures
// (Binance spot 2021-10-12 and Kraken v2 2021-04-17) in real time, through the
// built dccd binary with a --config file for both exchanges, then prints some rows.
// No network: everything runs on 127.0.0.1. Output goes to ./data/demo.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildFirst } from './build-first.mjs'

await buildFirst(['@dccd/cli...', '@dccd/testkit...'])
const { FakeExchange, fixturePath, loadSession } = await import('@dccd/testkit')

const root = fileURLToPath(new URL('../../../', import.meta.url))
const bin = fileURLToPath(new URL('../bin/dccd.js', import.meta.url))
const out = process.argv[2] ?? 'data/demo'
const seconds = Number(process.argv[3] ?? 20)

const binanceSession = loadSession(join(root, 'packages/binance/test/fixtures/spot-2021-10-12.replay.jsonl'))
const krakenSession = loadSession(fixturePath('v2-2021-04-17.jsonl'))
const binance = await FakeExchange.start()
binance.replay(binanceSession, { speed: 1 })
binance.restFromSession(binanceSession)
const kraken = await FakeExchange.start()
kraken.replay(krakenSession, { speed: 1 })

const config = join(mkdtempSync(join(tmpdir(), 'dccd-demo-')), 'dccd.yaml')
writeFileSync(
  config,
  `# dccd demo: two exchanges in one process
out: ${out}
bookSnapshots: 1s:10
feeds:
  - exchange: binance
    symbols: [NKNUSDT, BLZETH, LRCBTC, RUNEEUR]
    channels: [trades, book, bars:1m]
    wsUrl: ${binance.wsUrl}
    restUrl: ${binance.restUrl}
  - exchange: kraken
    symbols: [XMR/USD, WAVES/EUR, KSM/BTC, ETH/CHF, GRT/ETH]
    channels: [trades, book]
    bookDepth: 1000
    wsUrl: ${kraken.wsUrl}
    restUrl: ${kraken.restUrl}
`,
)

const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit' })
    child.on('close', (code) => resolve(code ?? 1))
  })

// Ctrl-C reaches dccd too (same process group); wait for it to seal instead of dying first.
process.on('SIGINT', () => {})
process.stderr.write(`dccd demo: replaying Binance and Kraken captures on ${binance.wsUrl} and ${kraken.wsUrl} for ${seconds}s\n`)
const code = await run(['record', '--config', config, '--duration', `${seconds}s`])
await Promise.all([binance.close(), kraken.close()])
if (code !== 0) process.exit(code)
await run(['read', join(out, 'binance', 'trades'), '--limit', '5'])
process.stderr.write(`\nRecorded into ${out}. Try:\n  pnpm dccd read ${out} --limit 20\n  duckdb -c "SELECT symbol, count(*) FROM '${out}/*/book/*/*/*.parquet' GROUP BY ALL"\n`)
