// Record BTCUSDT trades and 1m bars; after a restart, continue exactly where the saved data ends.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { exchange } from '@dccd/binance'
import type { MarketEvent, ResumePoints } from '@dccd/core'

const saved = 'positions.json'
const resume = existsSync(saved) ? (JSON.parse(readFileSync(saved, 'utf8')) as ResumePoints) : undefined
const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'], resume })
let written = 0
for await (const event of feed.stream()) {
  store(event)
  // Save the positions only once the data they cover is durable.
  if (++written % 1000 === 0) writeFileSync(saved, JSON.stringify(feed.positions()))
}

function store(event: MarketEvent): void {
  if (event.type === 'status' && event.status === 'gap') console.warn('missing for good:', event.channel, event.fromId, event.toId, event.reason)
}
