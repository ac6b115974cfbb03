import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crcAppend, crcPart, crcShift } from '../src/checksum/crc32-shift.js'

const bytes = (maxLength: number) => fc.uint8Array({ maxLength })

describe('CRC-32 in parts', () => {
  it('crc32(A ‖ B) from crc32(A) and the part of B, for short and long B (a table per length below 64, per multiple of 64 below 1 KiB, the longest repeated past it)', () => {
    fc.assert(
      fc.property(bytes(300), fc.oneof(bytes(70), bytes(5000)), (a, b) => {
        const whole = crc32(Buffer.concat([a, b])) >>> 0
        expect(crcAppend(crc32(a) >>> 0, crcPart(b, 0, b.length), b.length)).toBe(whole)
      }),
      { numRuns: 1000 },
    )
  })

  it('assembles one part from several: shift the first by the second’s length, xor the second', () => {
    fc.assert(
      fc.property(fc.array(bytes(40), { maxLength: 12 }), (pieces) => {
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
