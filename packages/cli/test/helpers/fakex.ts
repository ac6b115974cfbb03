// A temp folder with node_modules/@dccd/fakex installed (the scripted, network-free test adapter).
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const FAKEX = new URL('../fixtures/fakex/', import.meta.url)

export interface FakexScript {
  events?: Record<string, unknown>[]
  eventDelayMs?: number
  /** An endless trade stream after `events`, ids from `startId` (default 1): `batch` trades (default 1) every `everyMs` (default 5). */
  liveTrades?: { symbol: string; everyMs?: number; startId?: number; batch?: number }
  /** An endless book stream after `events`: a snapshot per symbol, then every `everyMs` (default 1) an update of `levels` (default 50) bids and asks per symbol. */
  liveBooks?: { symbols: string[]; everyMs?: number; levels?: number }
  /** After `events`, stay connected and send nothing until stopped. */
  holdOpen?: boolean
  /** `stop()` never resolves (a socket that never finishes closing). */
  stopHangs?: boolean
  unknownSymbols?: string[]
}

/** Creates a project folder where `@dccd/fakex` is installed; returns its path. */
export function fakexProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dccd-cli-'))
  const target = join(dir, 'node_modules', '@dccd', 'fakex')
  mkdirSync(target, { recursive: true })
  cpSync(FAKEX, target, { recursive: true })
  return dir
}

/** Discovery options that scan only `cwd`'s node_modules (an empty CLI install location), so only fakex is found. */
export function isolated(cwd: string): { cwd: string; cliDirectory: string } {
  const cliDirectory = join(cwd, 'cli-home')
  mkdirSync(cliDirectory, { recursive: true })
  return { cwd, cliDirectory }
}

/** Writes a script and returns the `--ws-url` that makes fakex replay it. */
export function writeScript(dir: string, script: FakexScript, name = 'script.json'): string {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(script))
  return pathToFileURL(path).href
}

export const T0 = 1_764_097_632_123_456

/** A snapshot, a delta and two trades for BTCUSD. */
export function basicEvents(): Record<string, unknown>[] {
  return [
    { type: 'status', exchange: 'fakex', status: 'connected' },
    { type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot: true, bids: [{ price: 100, amount: 1 }, { price: 99, amount: 2 }], asks: [{ price: 101, amount: 1.5 }], timestamp: T0 },
    { type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot: false, bids: [{ price: 100, amount: 0 }], asks: [{ price: 102, amount: 3 }], timestamp: T0 + 100_000 },
    { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: '1', price: 100.5, amount: 0.25, side: 'buy', timestamp: T0 + 200_000 },
    { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: '2', price: 100.25, amount: 1.5, side: 'sell', timestamp: T0 + 300_001 },
  ]
}

/** The next funding after T0: 2025-11-26T00:00:00Z, µs. */
export const FUNDING = Date.UTC(2025, 10, 26) * 1000

/**
 * Two quotes, three derivative messages (every field; mark and index only; a funding rate of exactly 0) and two
 * liquidations (with an id and without) for BTCUSD.
 */
export function derivativeEvents(): Record<string, unknown>[] {
  const stream = { exchange: 'fakex', symbol: 'BTCUSD' }
  return [
    { type: 'quote', ...stream, bidPrice: 100, bidAmount: 1, askPrice: 101, askAmount: 1.5, timestamp: T0 + 400_000 },
    { type: 'derivative', ...stream, markPrice: 100.4, indexPrice: 100.3, fundingRate: 0.0001, fundingTime: FUNDING, openInterest: 12_345, timestamp: T0 + 500_000 },
    { type: 'liquidation', ...stream, id: '77', side: 'sell', price: 99.5, amount: 3, timestamp: T0 + 600_000 },
    { type: 'derivative', ...stream, markPrice: 100.45, indexPrice: 100.35, timestamp: T0 + 700_000 },
    { type: 'quote', ...stream, bidPrice: 100.25, bidAmount: 0.5, askPrice: 100.75, askAmount: 2, timestamp: T0 + 800_000 },
    { type: 'liquidation', ...stream, side: 'buy', price: 101.25, amount: 0.5, timestamp: T0 + 900_000 },
    { type: 'derivative', ...stream, fundingRate: 0, timestamp: T0 + 1_000_000 },
  ]
}
