import { describe, expect, it } from 'vitest'
import type { BookEvent } from '@dccd/core'
import { loadSession } from '@dccd/testkit'
import { singleEdits } from '@dccd/testkit/helpers'
import { scanDepthUpdate } from '../src/depth-scan.js'
import { USDM_DIALECT } from '../src/futures/usdm.js'
import { decodeFrame, readDepthUpdate, SPOT_DIALECT } from '../src/parse.js'
import type { BinanceDialect, DepthIdsHolder } from '../src/parse.js'
import type { BinanceDepthUpdateFrame } from '../src/wire.js'

const T = 1_700_000_000_000_000

const holder = (): DepthIdsHolder => ({ firstUpdateId: 0, finalUpdateId: 0, previousUpdateId: undefined })

/** The depth frames of a capture, as the socket delivered them, with their receive times (µs). */
function depthFrames(fixture: string): { raw: string; receivedAt: number }[] {
  return loadSession(new URL(`./fixtures/${fixture}`, import.meta.url))
    .filter((frame) => frame.dir === 'in')
    .map((frame) => ({ raw: frame.raw ?? JSON.stringify(frame.data), receivedAt: Math.round(frame.t * 1000) }))
    .filter((frame) => frame.raw.includes('"e":"depthUpdate"'))
}

/** What the general path makes of `raw`: the event and ids, or the error it throws. */
function general(raw: string, localTimestamp: number, dialect: BinanceDialect): { event: BookEvent; ids: DepthIdsHolder } | 'other' | Error {
  try {
    const payload = decodeFrame(raw)
    if (payload?.e !== 'depthUpdate') return 'other'
    const ids = holder()
    return { event: readDepthUpdate(payload as unknown as BinanceDepthUpdateFrame, localTimestamp, dialect, ids), ids }
  } catch (error) {
    return error as Error
  }
}

const SPOT = '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT","U":157,"u":160,"b":[["0.0024","10"],["0.0023","0"]],"a":[["0.0026","100"]]}}'
const USDM = '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000001,"T":1700000000000,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["0.0024","10"]],"a":[]}}'

describe('scanDepthUpdate', () => {
  it.each([
    ['spot', 'spot-2021-10-12.replay.jsonl', SPOT_DIALECT],
    ['USDⓈ-M', 'usdm-2021-07-22.jsonl', USDM_DIALECT],
  ] as const)('reads every depth frame of the %s capture as JSON.parse and readDepthUpdate do', (_, fixture, dialect) => {
    const frames = depthFrames(fixture)
    expect(frames.length).toBeGreaterThan(100)
    for (const { raw, receivedAt } of frames) {
      const ids = holder()
      const event = scanDepthUpdate(raw, receivedAt, dialect, ids)
      expect(event).toBeDefined()
      expect({ event, ids }).toEqual(general(raw, receivedAt, dialect))
    }
  })

  it('reads raw-stream frames and empty sides', () => {
    const ids = holder()
    const raw = SPOT.slice(SPOT.indexOf('"data":') + 7, -1)
    expect(scanDepthUpdate(raw, T, SPOT_DIALECT, ids)).toEqual({
      type: 'book',
      exchange: 'binance',
      symbol: 'BTCUSDT',
      isSnapshot: false,
      bids: [
        { price: 0.0024, amount: 10 },
        { price: 0.0023, amount: 0 },
      ],
      asks: [{ price: 0.0026, amount: 100 }],
      timestamp: 1_700_000_000_000_000,
      localTimestamp: T,
    })
    expect(ids).toEqual({ firstUpdateId: 157, finalUpdateId: 160, previousUpdateId: undefined })
    expect(scanDepthUpdate(USDM, T, USDM_DIALECT, ids)).toMatchObject({ asks: [], timestamp: 1_700_000_000_000_000 })
    expect(ids).toEqual({ firstUpdateId: 157, finalUpdateId: 160, previousUpdateId: 149 })
  })

  it.each([
    ['whitespace', SPOT.replace('"U":157', '"U": 157')],
    ['an escape in the symbol', SPOT.replace('"s":"BTCUSDT"', '"s":"BTC\\u0055SDT"')],
    ['a signed quantity', SPOT.replace('"10"', '"-10"')],
    ['an exponent', SPOT.replace('"10"', '"1e1"')],
    ['a level as one string', SPOT.replace('["0.0026","100"]', '"12"')],
    ['a number quantity', SPOT.replace('"100"', '100')],
    ['a leading zero in an id', SPOT.replace('"U":157', '"U":0157')],
    ['U after u', SPOT.replace('"U":157', '"U":161')],
    ['an id past 15 digits', SPOT.replace('"u":160', '"u":9007199254740993')],
    ['a time in seconds', SPOT.replace('1700000000000', '1700000000')],
    ['another key', SPOT.replace('"s":', '"x":1,"s":')],
    ['futures fields on spot', USDM],
    ['no pu on futures', SPOT, USDM_DIALECT],
    ['text after the frame', `${SPOT} `],
    ['a second data', SPOT.replace(/}$/, ',"data":{}}')],
  ] as [string, string, BinanceDialect?][])('leaves a frame with %s to the general path', (_, raw, dialect = SPOT_DIALECT) => {
    const ids = holder()
    expect(scanDepthUpdate(raw, T, dialect, ids)).toBeUndefined()
    expect(ids).toEqual(holder())
  })

  it('accepts only frames the general path reads the same way, whatever one edit does to a valid frame', () => {
    // Every edit of both frames (some 11,000), not a sample: each run tries them all, in the same order.
    const alphabet = ['"', ',', '[', ']', '{', '}', ':', '.', '0', '1', '9', '-', 'e', ' ', '\\', 'u', 'x']
    let accepted = 0
    for (const { raw, dialect } of [
      { raw: SPOT, dialect: SPOT_DIALECT },
      { raw: USDM, dialect: USDM_DIALECT },
    ]) {
      for (const edited of singleEdits(raw, alphabet)) {
        const ids = holder()
        const event = scanDepthUpdate(edited, T, dialect, ids)
        if (event === undefined) continue
        accepted++
        expect({ event, ids }).toEqual(general(edited, T, dialect))
      }
    }
    expect(accepted).toBeGreaterThan(100) // digits replaced by digits, at least
  })
})
