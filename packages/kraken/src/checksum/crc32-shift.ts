/**
 * CRC-32 (zlib's: reflected, polynomial 0xEDB88320) in pieces, so the
 * checksum of a book side can be assembled from per-level parts instead of
 * re-reading every byte. CRC is linear: running the register `r` over bytes
 * `B` gives `shift(r, |B|) ^ part(B)`, where `part(B)` is the register
 * after `B` from 0 and `shift(r, n)` is `r` run over `n` zero bytes. A level
 * whose digits did not change keeps its part; only changed levels are read.
 *
 * `crcShift` reads one 4 × 256-entry table (4 KiB) per shift below 64 bytes
 * (a level's digits, the run of levels a side's register passes over), and
 * one more per multiple of 64 for longer ones (a whole side, to join asks and
 * bids). The tables are all built when the module loads, each from the one
 * before it: built on first use instead, a fresh feed built them while its
 * first books streamed in, in slow code (a third of its first snapshots' time).
 */

/** Byte-at-a-time table of the reflected polynomial. */
const BYTE_TABLE = new Int32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  BYTE_TABLE[n] = c
}

/** Shifts by 0 … 63 bytes, one table each. */
const DIRECT_LENGTHS = 64
/** Shifts by 64 · q bytes, q = 0 … 15 (q = 0 unused): sides up to 1 KiB of digits take one table each. */
const LONG_STEPS = 16

/**
 * `DIRECT[n * 1024 + i * 256 + b]`: the register `b << 8i` run over n zero
 * bytes. Table n is table n - 1 run over one more zero byte (table 0 is the
 * register itself), so each of the 64 tables costs 1024 table steps.
 */
const DIRECT = new Int32Array(DIRECT_LENGTHS * 1024)
for (let j = 0; j < 1024; j++) DIRECT[j] = (j & 255) << (8 * (j >>> 8))
for (let t = 1024; t < DIRECT.length; t++) {
  const r = DIRECT[t - 1024]!
  DIRECT[t] = BYTE_TABLE[r & 0xff]! ^ (r >>> 8)
}

/** `LONG[q * 1024 + …]`: the shift by 64 · q bytes, each table the one before it shifted by 64 more. */
const LONG = new Int32Array(LONG_STEPS * 1024)
for (let j = 0; j < 1024; j++) LONG[j] = DIRECT[j]!
for (let j = 0; j < 1024; j++) {
  const r = DIRECT[63 * 1024 + j]! // 63 zero bytes, then the 64th:
  LONG[1024 + j] = BYTE_TABLE[r & 0xff]! ^ (r >>> 8)
}
for (let t = 2048; t < LONG.length; t++) LONG[t] = tableShift(LONG, 1024, LONG[t - 1024]!)

function tableShift(table: Int32Array, t: number, r: number): number {
  return table[t + (r & 0xff)]! ^ table[t + 256 + ((r >>> 8) & 0xff)]! ^ table[t + 512 + ((r >>> 16) & 0xff)]! ^ table[t + 768 + (r >>> 24)]!
}

/** The register `r` run over `n` zero bytes (n ≥ 0). */
export function crcShift(r: number, n: number): number {
  if (n >= DIRECT_LENGTHS) {
    // More than 1 KiB (never a book side's top 10 in practice): the longest table, as often as it takes.
    for (; n >= LONG_STEPS * 64; n -= (LONG_STEPS - 1) * 64) r = tableShift(LONG, (LONG_STEPS - 1) << 10, r)
    r = tableShift(LONG, (n >>> 6) << 10, r)
    n &= 63
  }
  return tableShift(DIRECT, n << 10, r)
}

/** The register `r` run over one more byte. */
export function crcByte(r: number, byte: number): number {
  return BYTE_TABLE[(r ^ byte) & 0xff]! ^ (r >>> 8)
}

