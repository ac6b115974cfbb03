/**
 * One memory measurement, in its own process: builds `symbols` books of
 * `depth` levels per side with the named implementation (or none, for the
 * baseline), keeps them alive, and prints heap, array-buffer and RSS figures
 * as JSON. Each book starts from a generated snapshot and then takes
 * `updates` generated level updates, so storage is in its steady state
 * (grown arrays, tree nodes, deleted entries), not just freshly loaded.
 */
import type { BookLevel } from '@dccd/core'
import { generateStream } from '../book/generate.js'
import { allImpls, type ReplayResult } from '../book/impls.js'
import { seededRandom } from '../rng.js'

const [name = 'none', symbolsArg = '1000', depthArg = '1000', updatesArg = '2000'] = process.argv.slice(2)
const symbols = Number(symbolsArg)
const depth = Number(depthArg)
const updates = Number(updatesArg)
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')

function snapshotFor(index: number): { bids: BookLevel[]; asks: BookLevel[] } {
  const rand = seededRandom(index + 1)
  const mid = 10_000 + index * 7 // ticks of 0.01
  const level = (ticks: number): BookLevel => ({ price: ticks / 100, amount: Math.round(rand() * 1e6) / 100 + 0.01 })
  return {
    bids: Array.from({ length: depth }, (_, i) => level(mid - 1 - i)),
    asks: Array.from({ length: depth }, (_, i) => level(mid + 1 + i)),
  }
}

// Loaded for the baseline too, so the peers' module code is not billed to any implementation.
const impls = await allImpls()
const impl = name === 'none' ? undefined : impls.find((i) => i.name === name)
if (name !== 'none' && impl === undefined) throw new Error(`unknown implementation ${name}`)
const kept: ReplayResult[] = []
let levels = 0
for (let i = 0; i < symbols; i++) {
  const stream = generateStream(snapshotFor(i), { updates, seed: i + 1, farShare: 0.01 })
  if (impl !== undefined) kept.push(impl.replay(stream.frames, 1, 'apply', 1))
  levels += stream.expected[0]!.bids.length / 2 + stream.expected[0]!.asks.length / 2
}
gc()
gc()
const usage = process.memoryUsage()
process.stdout.write(
  JSON.stringify({
    name,
    books: kept.length,
    levels,
    heapUsed: usage.heapUsed,
    arrayBuffers: usage.arrayBuffers,
    rss: usage.rss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    // Touch the books so nothing is collected early, and report a level count to cross-check.
    firstBookLevels: kept[0] ? kept[0].dump()[0]!.bids.length / 2 + kept[0].dump()[0]!.asks.length / 2 : 0,
  }) + '\n',
)
