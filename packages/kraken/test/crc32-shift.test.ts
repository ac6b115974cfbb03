import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crcShift } from '../src/checksum/crc32-shift.js'
import { crcAppend, crcPart } from './support/crc-parts.js'

// size 'max': at fast-check's default size no array passed 10 bytes (nor 10 pieces), so only the
// shift tables below 64 were ever read: never one per multiple of 64, nor the longest repeated past 1 KiB.
const bytes = (maxLength: number) => fc.uint8Array({ maxLength, size: 'max' })

/**
 * Up to `maxLength` bytes drawn from a length and a seed: a failure past 1 KiB then shrinks by its
 * length in a few steps, where fast-check shrinks a long byte array one byte at a time (minutes).
 */
const longBytes = (maxLength: number) =>
  fc.tuple(fc.integer({ min: 0, max: maxLength }), fc.integer()).map(([length, seed]) => {
    const out = new Uint8Array(length)
    let x = seed | 1 // xorshift32: any state but 0
    for (let i = 0; i < length; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      out[i] = x & 0xff
    }
    return out
  })

describe('CRC-32 in parts', () => {
  it('crc32(A ‖ B) from crc32(A) and the part of B, for short and long B (a table per length below 64, per multiple of 64 below 1 KiB, the longest repeated past it)', () => {
    fc.assert(
      fc.property(bytes(300), fc.oneof(bytes(70), longBytes(5000)), (a, b) => {
        const whole = crc32(Buffer.concat([a, b])) >>> 0
        expect(crcAppend(crc32(a) >>> 0, crcPart(b, 0, b.length), b.length)).toBe(whole)
      }),
      { numRuns: 1000 },
    )
  })

  it('assembles one part from several: shift the first by the second’s length, xor the second', () => {
    fc.assert(
      fc.property(fc.array(bytes(40), { maxLength: 12, size: 'max' }), (pieces) => {
        let part = 0
        let length = 0
        for (const piece of pieces) {
          part = crcShift(part, piece.length) ^ crcPart(piece, 0, piece.length)
          length += piece.length
        }
        expect(crcAppend(0, part, length)).toBe(crc32(Buffer.concat(pieces)) >>> 0)
      }),
      { numRuns: 1000 },
    )
  })

  it('reads only [start, end) of the buffer', () => {
    const text = Buffer.from('xx452852100000yy')
    expect(crcAppend(0, crcPart(text, 2, 14), 12)).toBe(crc32('452852100000') >>> 0)
  })
})
