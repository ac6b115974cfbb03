// The README's example, run against the testkit's fake exchange through the Binance adapter: two runs into one
// folder, the second replaying trades the first recorded, as Kraken does on every subscribe.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { exchange } from '@dccd/binance'
import type { Feed } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { record } from '../examples/record.js'
import { recordedRows } from './helpers/rows.js'

const E = 1_700_000_000_000 // ms

/** A combined-stream Binance trade. */
function tradeFrame(id: number) {
  return { stream: 'btcusdt@trade', data: { e: 'trade', E: E + id, s: 'BTCUSDT', t: id, p: '100.5', q: '0.25', T: E + id, m: false, M: true } }
}

/** The feed, ending after `trades` trades (the README's feed ends when stopped). */
function endingAfter(feed: Feed, trades: number): Feed {
  return {
    exchange: feed.exchange,
    stats: feed.stats,
    stop: () => feed.stop(),
    positions: () => feed.positions(),
    async *stream() {
      let seen = 0
      for await (const event of feed.stream()) {
        yield event
        if (event.type === 'trade' && ++seen === trades) break // closes the connection
      }
    },
  }
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('README example', () => {
  it('is examples/record.ts as it is', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const example = readFileSync(new URL('../examples/record.ts', import.meta.url), 'utf8')
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``)
  })

  it('shows examples/resume.ts as it is under Resuming', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const example = readFileSync(new URL('../examples/resume.ts', import.meta.url), 'utf8')
    expect(readme.slice(readme.indexOf('## Resuming'))).toContain(`\`\`\`ts\n${example}\`\`\``)
  })

  it('records trades into Parquet without the CLI, and a second run skips the trades the first recorded', async () => {
    fx = await FakeExchange.start()
    const out = mkdtempSync(join(tmpdir(), 'dccd-readme-'))
    const run = async (ids: number[]): Promise<void> => {
      const off = fx!.onConnection((connection) => ids.forEach((id) => connection.send(tradeFrame(id))))
      const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: fx!.wsUrl, restUrl: fx!.restUrl })
      await record(endingAfter(feed, ids.length), ['BTCUSDT'], out)
      await feed.stop()
      off()
    }
    await run([1, 2, 3])
    await run([2, 3, 4]) // replayed after the restart
    const rows = await recordedRows(out, 'trades')
    expect(rows.map((row) => row.id)).toEqual(['1', '2', '3', '4'])
    expect(rows[0]).toMatchObject({ exchange: 'binance', symbol: 'BTCUSDT', side: 'buy', price: 100.5, amount: 0.25, timestamp: (E + 1) * 1000 })
  })
})
