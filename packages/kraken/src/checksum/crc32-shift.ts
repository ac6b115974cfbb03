/**
 * CRC-32 (zlib's: reflected, polynomial 0xEDB88320) in pieces, so the
 * checksum of a book side can be assembled from per-level parts instead of
 * re-reading every byte. CRC is linear: running the register `r` over bytes
 * `B` gives `shift(r, |B|) ^ crcPart(B)`, where `crcPart(B)` is the register
 * after `B` from 0 and `shift(r, n)` is `r` run over `n` zero bytes. A level
 * whose digits did not change keeps its part; only changed levels are read.
 *
 * `crcShift` uses 4 × 256-entry tables: one per length below 64 and one per
 * multiple of 64 below 4096 (built on first use, 4 KiB each, see below),
 * else one per power of two (16, 64 KiB) combined over the bits of n.
 */

/** Byte-at-a-time table of the reflected polynomial. */
const BYTE_TABLE = new Int32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  BYTE_TABLE[n] = c
}

/** Shift lengths 2^0 … 2^15 bytes: more than any book side's digits. */
const SHIFT_LEVELS = 16
/** `SHIFT[k * 1024 + i * 256 + b]`: the register `b << 8i` run over 2^k zero bytes. */
const SHIFT = new Int32Array(SHIFT_LEVELS * 1024)
for (let i = 0; i < 4; i++) {
  for (let b = 0; b < 256; b++) {
    const r = b << (8 * i)
    SHIFT[i * 256 + b] = BYTE_TABLE[r & 0xff]! ^ (r >>> 8)
  }
}
for (let k = 1; k < SHIFT_LEVELS; k++) {
  for (let j = 0; j < 1024; j++) {
    const r = applyShift(k - 1, (j & 255) << (8 * (j >>> 8)))
    SHIFT[k * 1024 + j] = applyShift(k - 1, r)
  }
}

function applyShift(k: number, r: number): number {
  const t = k * 1024
  return SHIFT[t + (r & 0xff)]! ^ SHIFT[t + 256 + ((r >>> 8) & 0xff)]! ^ SHIFT[t + 512 + ((r >>> 16) & 0xff)]! ^ SHIFT[t + 768 + (r >>> 24)]!
}

/**
 * Shifts by lengths below 64 (a level's digits, and the run of levels the
 * side's register passes over, rarely past 40 bytes) read one 4 × 256 table
 * each; longer ones (a whole side, to join asks and bids) split into a
 * multiple of 64 and a rest, one table each: two shifts instead of
 * popcount(n). Tables live in two flat arrays (256 KiB each, pages touched
 * only as tables are built) and are built on first use: a per-call array of
 * per-length tables cost a map check and an `undefined` test per shift.
 */
const DIRECT_LENGTHS = 64
const DIRECT = new Int32Array(DIRECT_LENGTHS * 1024)
const directBuilt = new Uint8Array(DIRECT_LENGTHS)
/** `LONG[q * 1024 + …]`: the shift by 64·q bytes, q < 64 (lengths below 4096). */
const LONG = new Int32Array(DIRECT_LENGTHS * 1024)
const longBuilt = new Uint8Array(DIRECT_LENGTHS)

function buildTable(into: Int32Array, index: number, n: number): void {
  const t = index * 1024
  for (let j = 0; j < 1024; j++) into[t + j] = shiftByPowers((j & 255) << (8 * (j >>> 8)), n)
}

function shiftByPowers(r: number, n: number): number {
  for (let k = 0; n !== 0; k++, n >>>= 1) if (n & 1) r = applyShift(k, r)
  return r
}

function tableShift(table: Int32Array, t: number, r: number): number {
  return table[t + (r & 0xff)]! ^ table[t + 256 + ((r >>> 8) & 0xff)]! ^ table[t + 512 + ((r >>> 16) & 0xff)]! ^ table[t + 768 + (r >>> 24)]!
}

/** The register `r` run over `n` zero bytes (n < 2^16). */
export function crcShift(r: number, n: number): number {
  if (n >= DIRECT_LENGTHS) return longShift(r, n)
  if (directBuilt[n] === 0) {
    buildTable(DIRECT, n, n)
    directBuilt[n] = 1
  }
  return tableShift(DIRECT, n << 10, r)
}

function longShift(r: number, n: number): number {
  const q = n >>> 6
  if (q >= DIRECT_LENGTHS) return shiftByPowers(r, n)
  if (longBuilt[q] === 0) {
    buildTable(LONG, q, q << 6)
    longBuilt[q] = 1
  }
  return crcShift(tableShift(LONG, q << 10, r), n & 63)
}

/** The register after `bytes[start, end)`, starting from 0 (not inverted: a part, not a checksum). */
export function crcPart(bytes: Uint8Array, start: number, end: number): number {
  let r = 0
  for (let i = start; i < end; i++) r = BYTE_TABLE[(r ^ bytes[i]!) & 0xff]! ^ (r >>> 8)
  return r
}

/** A finished CRC-32 extended by a part of `length` bytes: `crc32(A ‖ B)` from `crc32(A)` and `B`'s part. */
export function crcAppend(crc: number, part: number, length: number): number {
  return ~(crcShift(~crc, length) ^ part) >>> 0
}
