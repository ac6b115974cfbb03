/**
 * The CRC part (see ./crc32-shift.ts) of Kraken checksum digits —
 * `fmt(value, precision)` without the `.` and the leading zeros — taken
 * straight from the number: no string, no byte buffer, no allocation.
 * Module state (the last byte count) is safe: taking parts is synchronous
 * and never re-entered.
 */
import { crcByte, crcShift } from './crc32-shift.js'

let lastLength = 0

/** Bytes of the digits the last {@link digitsPart} took. */
export function digitsLength(): number {
  return lastLength
}

/** Exact powers of ten (every 10^p with p <= 22 is a double). */
const POW10 = Array.from({ length: 23 }, (_, p) => 10 ** p)

/**
 * Above this, `value * 10^p` may carry an error large enough to round the
 * wrong way, so the exact `toFixed` path takes over.
 */
const FAST_LIMIT = 2 ** 48

/**
 * The CRC part of `fmt(value, precision)` minus the dot and leading zeros,
 * which are the decimal digits of `n = round(value * 10^p)`; their byte
 * count is then {@link digitsLength}. Kraken values lie on the precision
 * grid, so `n` is the integer `toFixed` would print, and its digits' part
 * comes from tables of four digits at a time. Off-grid or huge values fall
 * back to `toFixed`.
 *
 * Why that is exact: for a double `v` nearest to a decimal `N / 10^p` with
 * `N < 2^48`, the product `v * 10^p` is within far less than 0.25 of `N`
 * (relative error ~2^-52), and `toFixed(p)` also yields `N` since `v`'s ulp
 * is far below `10^-p`.
 */
export function digitsPart(value: number, precision: number): number {
  if (precision < POW10.length) {
    const scaled = value * POW10[precision]!
    let n = Math.round(scaled)
    if (n >= 0 && n < FAST_LIMIT && Math.abs(scaled - n) < 0.25) {
      // From the low end, four digits at a time, each group put in front of the digits after it:
      // part(group ‖ rest) = shift(part(group), |rest|) ^ part(rest). One small loop rather than a
      // formatter and a byte loop: a fresh feed waits for V8 to compile this, and the ~60 ms the
      // formatter's functions took on the compiler thread delayed the rest of the hot path (--trace-opt).
      let part = 0
      let length = 0
      while (n >= 10_000) {
        const high = Math.floor(n / 10_000) // exact: n < 2^48, so n / 10^4's error is far below 10^-4
        part ^= crcShift(QUAD_PART[n - high * 10_000]!, length)
        length += 4
        n = high
      }
      lastLength = length + LEAD_LENGTH[n]!
      return crcShift(LEAD_PART[n]!, length) ^ part
    }
  }
  return fixedPart(value, precision)
}

/** The part of `toFixed`'s digits, read from the string (off the grid, or past the fast path's range). */
function fixedPart(value: number, precision: number): number {
  // toFixed never uses exponent form below 1e21 (1e-8 → "0.00000001") and pads with zeros.
  const text = value.toFixed(precision)
  const n = text.length
  let i = 0
  // Leading zeros of the digit string, counting those after the dot once it is removed.
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c !== 48 /* 0 */ && c !== 46 /* . */) break
    i++
  }
  let part = 0
  let length = 0
  for (; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 46) continue
    part = crcByte(part, c)
    length++
  }
  lastLength = length
  return part
}

/**
 * Per integer 0 … 9999: the part and byte count of its digits without leading zeros (`LEAD_*`; 0 has
 * none), and the part of its four digits zero-padded (`QUAD_PART`, the groups after the first).
 */
const LEAD_PART = new Int32Array(10_000)
const LEAD_LENGTH = new Uint8Array(10_000)
const QUAD_PART = new Int32Array(10_000)
/** `ZEROS_PART[k]`: the part of k `0` digits. */
const ZEROS_PART = [0, 0, 0, 0, 0]
for (let k = 1; k <= 4; k++) ZEROS_PART[k] = crcByte(ZEROS_PART[k - 1]!, 48)
for (let i = 1; i < 10_000; i++) {
  const high = Math.floor(i / 10)
  LEAD_PART[i] = crcByte(LEAD_PART[high]!, 48 + i - high * 10)
  LEAD_LENGTH[i] = LEAD_LENGTH[high]! + 1
}
for (let i = 0; i < 10_000; i++) {
  const length = LEAD_LENGTH[i]!
  QUAD_PART[i] = crcShift(ZEROS_PART[4 - length]!, length) ^ LEAD_PART[i]!
}
