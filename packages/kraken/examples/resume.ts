// Record BTC/USD trades and 1m bars; the next run continues exactly where this one stopped.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { MarketEvent, ResumePoints } from '@dccd/core'
import { exchange } from '@dccd/kraken'

const file = 'kraken-positions.json'
const resume: ResumePoints | undefined = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
const feed = exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades', 'bars:1m'], resume })
const store = (event: MarketEvent): void => console.log(JSON.stringify(event)) // your durable write
let seen = 0
for await (const event of feed.stream()) {
  store(event)
  // Save the positions only after what they cover is stored.
  if (++seen % 1000 === 0) writeFileSync(file, JSON.stringify(feed.positions()))
  if (seen === 10_000) break
}
writeFileSync(file, JSON.stringify(feed.positions()))
