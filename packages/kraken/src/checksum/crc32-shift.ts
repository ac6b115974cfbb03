/**
 * CRC-32 (zlib's: reflected, polynomial 0xEDB88320) in pieces, so the
 * checksum of a book side can be assembled from per-level parts instead of
 * re-reading every byte. CRC is linear: running the register `r` over bytes
 * `B` gives `shift(r, |B|) ^ crcPart(B)`, where `crcPart(B)` is the register
 * after `B` from 0 and `shift(r, n)` is `r` run over `n` zero bytes. A level
 * whose digits did not change keeps its part; only changed levels are read.
 *
 * `crcShift` uses 4 × 256-entry tables: one per length below 64 (built on
 * first use, 4 KiB each), else one per power of two (16, 64 KiB) combined
 * over the bits of n.
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
 * Level lengths (a price's and a quantity's digits, rarely past 40 bytes) get
 * a table of their own, built on first use: one shift instead of popcount(n).
 */
const DIRECT_LENGTHS = 64
const directShift: (Int32Array | undefined)[] = new Array(DIRECT_LENGTHS).fill(undefined)

function directTable(n: number): Int32Array {
  const table = new Int32Array(1024)
  for (let j = 0; j < 1024; j++) table[j] = shiftByPowers((j & 255) << (8 * (j >>> 8)), n)
  directShift[n] = table
  return table
}

function shiftByPowers(r: number, n: number): number {
  for (let k = 0; n !== 0; k++, n >>>= 1) if (n & 1) r = applyShift(k, r)
  return r
}

/** The register `r` run over `n` zero bytes (n < 2^16). */
export function crcShift(r: number, n: number): number {
  if (n >= DIRECT_LENGTHS) return shiftByPowers(r, n)
  const t = directShift[n] ?? directTable(n)
  return t[r & 0xff]! ^ t[256 + ((r >>> 8) & 0xff)]! ^ t[512 + ((r >>> 16) & 0xff)]! ^ t[768 + (r >>> 24)]!
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
