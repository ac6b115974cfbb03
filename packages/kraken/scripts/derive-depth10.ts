/**
 * Derives a depth-10 Kraken v2 session from the depth-1000 capture, as Kraken
 * serves a depth-10 subscription (see ./shallow-feed.ts). Every checksum is
 * copied from the capture unchanged: it covers the top 10, which both depths share.
 *
 * Run: npx tsx scripts/derive-depth10.ts   (from packages/kraken)
 * Reads test/fixtures/v2-2021-04-17.jsonl, writes test/fixtures/v2-2021-04-17.depth10.jsonl.
 */
import { pathToFileURL } from 'node:url'
import { readSession, writeSession } from './session.js'
import type { SessionLine } from './session.js'
import { ShallowFeed } from './shallow-feed.js'

/** The capture, re-served at `depth` (10 by default). Pure: returns new lines. */
export function deriveShallowSession(lines: readonly SessionLine[], depth = 10): SessionLine[] {
  const feeds = new Map<string, ShallowFeed>()
  const out: SessionLine[] = []
  for (const line of lines) {
    const data = line.data
    if (line.dir === 'out' && data?.params?.channel === 'book') {
      out.push({ ...line, data: { ...data, params: { ...data.params, depth } } })
    } else if (line.dir === 'in' && data?.result?.channel === 'book') {
      out.push({ ...line, data: { ...data, result: { ...data.result, depth } } })
    } else if (line.dir === 'in' && data?.channel === 'book') {
      const entries = []
      for (const entry of data.data) {
        let feed = feeds.get(entry.symbol)
        if (feed === undefined) feeds.set(entry.symbol, (feed = new ShallowFeed(depth)))
        const levels = data.type === 'snapshot' ? feed.snapshot(entry.bids, entry.asks) : feed.update(entry.bids, entry.asks)
        if (levels !== undefined) entries.push({ ...entry, bids: levels.bids, asks: levels.asks })
      }
      if (entries.length > 0) out.push({ ...line, data: { ...data, data: entries } })
    } else {
      out.push(line)
    }
  }
  return out
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const source = new URL('../test/fixtures/v2-2021-04-17.jsonl', import.meta.url)
  const target = new URL('../test/fixtures/v2-2021-04-17.depth10.jsonl', import.meta.url)
  const derived = deriveShallowSession(readSession(source), 10)
  writeSession(target, derived)
  process.stdout.write(`wrote ${derived.length} lines to ${target.pathname}\n`)
}
