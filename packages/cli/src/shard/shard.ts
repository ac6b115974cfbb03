/**
 * Which symbols one recorder of a fleet records: `--shard i/n` keeps the
 * symbols whose stable hash lands in shard i of n, so n recorders on n
 * machines split an exchange with no coordination service, and two recorders
 * given the same shard record the same symbols (the supported redundancy).
 *
 * The hash is the fleet's contract: every machine must compute the same one,
 * today and after an upgrade, or symbols are recorded twice or not at all.
 * So it is spelled out here, pinned by tests, and depends on nothing but the
 * bytes of `<exchange>:<symbol>`: FNV-1a 64 of their UTF-8, then Google's jump
 * consistent hash (Lamping & Veach 2014, https://arxiv.org/abs/1406.2294).
 * Jump hash rather than `hash % n` because it moves the fewest symbols when a
 * fleet grows: from n to n + 1 shards, only about 1/(n + 1) of the symbols
 * move (all to the new shard); with `% n` nearly all of them would.
 */
import { UsageError } from '../errors.js'

/** One shard of a fleet: `index` of `count`, 1-based (`3/8` is the third of eight). */
export interface ShardSpec {
  /** 1..count. */
  readonly index: number
  readonly count: number
}

/** Largest shard count: jump hash returns a 32-bit signed bucket. */
const MAX_SHARDS = 2 ** 31 - 1

/**
 * `3/8` → `{ index: 3, count: 8 }`: the third of eight shards, counted from 1.
 *
 * @throws UsageError (exit 2) for anything but whole numbers with 1 ≤ i ≤ n, naming the value
 * @example parseShard('1/2') // { index: 1, count: 2 }
 */
export function parseShard(value: string, option = '--shard'): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value)
  const index = match ? Number(match[1]) : Number.NaN
  const count = match ? Number(match[2]) : Number.NaN
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count)) {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; use i/n, whole numbers with 1 ≤ i ≤ n (3/8 records the third of 8 shards)`)
  }
  return { index, count }
}

const FNV64_OFFSET = 0xcbf29ce484222325n
const FNV64_PRIME = 0x100000001b3n
const JUMP_MULTIPLIER = 2862933555777941757n
const utf8 = new TextEncoder()

/**
 * FNV-1a, 64 bits, of the UTF-8 bytes of `text` (http://www.isthe.com/chongo/tech/comp/fnv/).
 *
 * @example fnv1a64('a') // 0xaf63dc4c8601ec8cn
 */
export function fnv1a64(text: string): bigint {
  let hash = FNV64_OFFSET
  for (const byte of utf8.encode(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV64_PRIME)
  return hash
}

/**
 * Jump consistent hash: the bucket 0..buckets-1 of a 64-bit key, as the paper's C++ reference computes
 * it (its double arithmetic is IEEE 754 in JavaScript too, so every machine agrees).
 *
 * @example jumpHash(256n, 1024) // 520
 */
export function jumpHash(key: bigint, buckets: number): number {
  let bucket = -1
  let next = 0
  while (next < buckets) {
    bucket = next
    key = BigInt.asUintN(64, key * JUMP_MULTIPLIER + 1n)
    next = Math.floor((bucket + 1) * (2 ** 31 / (Number(key >> 33n) + 1)))
  }
  return bucket
}

/**
 * The shard (1..count) `symbol` of `exchange` belongs to. The exchange id is part of the key, so
 * `BTCUSDT` on `binance` and on `binance-futures` are placed independently.
 *
 * @example shardOf('binance', 'BTCUSDT', 8) // the same number on every machine, in every version
 */
export function shardOf(exchange: string, symbol: string, count: number): number {
  return jumpHash(fnv1a64(`${exchange}:${symbol}`), count) + 1
}

/**
 * The symbols of `exchange` that shard `shard` records, in their given order.
 *
 * @example selectShard('binance', ['BTCUSDT', 'ETHUSDT'], parseShard('1/2'))
 */
export function selectShard(exchange: string, symbols: readonly string[], shard: ShardSpec): string[] {
  return symbols.filter((symbol) => shardOf(exchange, symbol, shard.count) === shard.index)
}
