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
