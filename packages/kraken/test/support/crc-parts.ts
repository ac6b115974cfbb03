/**
 * The definitions the checksum's pieces are tested against, byte by byte:
 * a part over plain bytes, and a finished CRC-32 extended by one. The
 * checksum itself never reads bytes (../../src/checksum/digits.ts takes
 * parts straight from numbers).
 */
import { crcByte, crcShift } from '../../src/checksum/crc32-shift.js'

/** The register after `bytes[start, end)`, starting from 0 (not inverted: a part, not a checksum). */
export function crcPart(bytes: Uint8Array, start: number, end: number): number {
  let r = 0
  for (let i = start; i < end; i++) r = crcByte(r, bytes[i]!)
  return r
}

/** A finished CRC-32 extended by a part of `length` bytes: `crc32(A ‖ B)` from `crc32(A)` and `B`'s part. */
export function crcAppend(crc: number, part: number, length: number): number {
  return ~(crcShift(~crc, length) ^ part) >>> 0
}
