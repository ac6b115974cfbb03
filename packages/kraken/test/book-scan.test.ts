import { describe, expect, it } from 'vitest'
import { isoToMicros } from '@dccd/core'
import { loadSession } from '@dccd/testkit'
import { singleEdits } from '@dccd/testkit/helpers'
import { scanBookUpdate, type ScannedBookUpdate } from '../src/book-scan.js'
import { parseFrame } from '../src/parse.js'
import type { KrakenBookMessage } from '../src/wire.js'

const holder = (): ScannedBookUpdate => ({ symbol: '', bids: [], asks: [], checksum: 0, timestamp: 0 })

/** What the general path reads from `raw`: the one entry of a book update, as the scan reports it; else 'other' or the error. */
function general(raw: string): ScannedBookUpdate | 'other' | Error {
  try {
    const frame = parseFrame(raw) as KrakenBookMessage
    if (frame.channel !== 'book' || frame.type !== 'update' || frame.data.length !== 1) return 'other'
    const { symbol, bids, asks, checksum, timestamp } = frame.data[0]!
    const levels = (side: typeof bids) => side.map((level) => ({ price: level.price, amount: level.qty }))
    // The general path reads the time in the book sync (core's isoToMicros), which may throw.
    return { symbol, bids: levels(bids), asks: levels(asks), checksum, timestamp: isoToMicros(timestamp!) }
  } catch (error) {
    return error as Error
  }
}

const UPDATE =
  '{"channel":"book","type":"update","data":[{"symbol":"XMR/USD","bids":[{"price":354.15,"qty":5},{"price":354.12,"qty":0.00000000}],' +
  '"asks":[{"price":354.5,"qty":1.25}],"checksum":2583817756,"timestamp":"2021-04-17T16:48:53.365913Z"}]}'

describe('scanBookUpdate', () => {
  it.each(['v2-2021-04-17.jsonl', 'v2-2021-04-17.depth10.jsonl'])('reads every book update of %s as parseFrame does', (fixture) => {
    const frames = loadSession(new URL(`./fixtures/${fixture}`, import.meta.url))
      .filter((frame) => frame.dir === 'in')
      .map((frame) => frame.raw ?? JSON.stringify(frame.data))
    let updates = 0
    for (const raw of frames) {
      const into = holder()
      const expected = general(raw)
      if (scanBookUpdate(raw, into)) {
        updates++
        expect(into).toEqual(expected)
      } else {
        // Declined: only what is not a one-entry update.
        expect(expected).toBe('other')
      }
    }
    expect(updates).toBeGreaterThan(100)
  })

  it('reads a frame with Kraken’s fixed decimals and empty sides', () => {
    const into = holder()
    expect(scanBookUpdate(UPDATE.replace('[{"price":354.5,"qty":1.25}]', '[]'), into)).toBe(true)
    expect(into).toEqual({
      symbol: 'XMR/USD',
      bids: [
        { price: 354.15, amount: 5 },
        { price: 354.12, amount: 0 },
      ],
      asks: [],
      checksum: 2583817756,
      timestamp: 1618678133365913, // 2021-04-17T16:48:53.365913Z
    })
  })

  it('reads sides deeper than its scratch lists (64 levels), and a short side after a deep one', () => {
    const side = (count: number, base: number) => Array.from({ length: count }, (_, i) => ({ price: base + i, amount: i + 1 }))
    const wire = (levels: { price: number; amount: number }[]) => JSON.stringify(levels.map(({ price, amount }) => ({ price, qty: amount })))
    const frame = (bids: { price: number; amount: number }[], asks: { price: number; amount: number }[]) =>
      UPDATE.replace(/"bids":.*,"checksum"/, `"bids":${wire(bids)},"asks":${wire(asks)},"checksum"`)
    for (const [bidCount, askCount] of [
      [200, 65],
      [2, 0],
      [64, 130],
      [1, 1],
    ] as const) {
      const bids = side(bidCount, 100)
      const asks = side(askCount, 1000)
      const into = holder()
      expect(scanBookUpdate(frame(bids, asks), into)).toBe(true)
      // Exactly this frame's levels: nothing left over from the deeper frame before.
      expect(into.bids).toEqual(bids)
      expect(into.asks).toEqual(asks)
    }
  })

  it.each([
    ['a snapshot', UPDATE.replace('"type":"update"', '"type":"snapshot"')],
    ['two entries', UPDATE.replace(/}]}$/, `},${UPDATE.slice(UPDATE.indexOf('{"symbol"'), -2)}]}`)],
    ['whitespace', UPDATE.replace('"qty":5', '"qty": 5')],
    ['keys in another order', UPDATE.replace('{"price":354.15,"qty":5}', '{"qty":5,"price":354.15}')],
    ['an escape in the symbol', UPDATE.replace('XMR/USD', 'XMR\\/USD')],
    ['a negative quantity', UPDATE.replace('"qty":5', '"qty":-5')],
    ['an exponent', UPDATE.replace('"qty":1.25', '"qty":1.25e2')],
    ['a quoted price', UPDATE.replace('354.15', '"354.15"')],
    ['a leading zero', UPDATE.replace('"qty":5', '"qty":05')],
    ['no timestamp', UPDATE.replace(',"timestamp":"2021-04-17T16:48:53.365913Z"', '')],
    ['a timestamp with a zone offset', UPDATE.replace('53.365913Z', '53.365913+00:00')],
    ['a timestamp without the T', UPDATE.replace('17T16', '17 16')],
    ['an impossible date', UPDATE.replace('2021-04-17', '2021-02-30')],
    ['a fractional checksum', UPDATE.replace('2583817756', '2583817756.5')],
    ['another key', UPDATE.replace('"checksum"', '"x":1,"checksum"')],
    ['text after the frame', `${UPDATE} `],
  ])('leaves a frame with %s to the general path', (_, raw) => {
    expect(scanBookUpdate(raw, holder())).toBe(false)
  })

  it('accepts only frames the general path reads the same way, whatever one edit does to a valid frame', () => {
    // Every edit of the frame, not a sample: each run tries them all, in the same order.
    const alphabet = ['"', ',', '[', ']', '{', '}', ':', '.', '0', '1', '9', '-', 'e', 'E', '+', ' ', '\\', 'u', 'x']
    let accepted = 0
    for (const edited of singleEdits(UPDATE, alphabet)) {
      const into = holder()
      if (!scanBookUpdate(edited, into)) continue
      accepted++
      expect(into).toEqual(general(edited))
    }
    expect(accepted).toBeGreaterThan(100) // digits replaced by digits, at least
  })
})
