import { describe, expect, it } from 'vitest'
import { loadSession } from '@dccd/testkit'
import { singleEdits } from '@dccd/testkit/helpers'
import { scanBookUpdate } from '../src/book-scan.js'
import { parseFrame, type OkxBookMessage } from '../src/parse.js'

const T = 1_700_000_000_500_000

/** What parseFrame makes of `raw`, without the wire levels the scan does not keep; 'other' for anything but a book message, or the error. */
function general(raw: string, receivedAt: number): Omit<OkxBookMessage, 'data'> | 'other' | Error {
  try {
    const message = parseFrame(raw, receivedAt)
    if (message.type !== 'book') return 'other'
    const { data: _wire, ...rest } = message
    return rest
  } catch (error) {
    return error as Error
  }
}

function scan(raw: string, receivedAt: number): Omit<OkxBookMessage, 'data'> | undefined {
  const message = scanBookUpdate(raw, receivedAt)
  if (message === undefined) return undefined
  expect(message.data).toBeUndefined()
  return message
}

const UPDATE =
  '{"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"update","data":[{"asks":[["42001.4","1.0395","0","2"],["42002","0","0","0"]],' +
  '"bids":[["41999.9","12","0","3"]],"ts":"1700000000167","checksum":-855196043,"prevSeqId":18000421,"seqId":18000423}]}'

describe('scanBookUpdate', () => {
  it('reads every books update of the recorded session as parseFrame does, and declines everything else', () => {
    const frames = loadSession(new URL('./fixtures/session.replay.jsonl', import.meta.url)).filter((frame) => frame.dir === 'in')
    let updates = 0
    for (const frame of frames) {
      const raw = frame.raw ?? JSON.stringify(frame.data)
      const receivedAt = Math.round(frame.t * 1000)
      const scanned = scan(raw, receivedAt)
      const expected = general(raw, receivedAt)
      if (scanned === undefined) {
        expect(expected === 'other' || (expected as OkxBookMessage).isSnapshot).toBe(true)
        continue
      }
      updates++
      expect(scanned).toEqual(expected)
    }
    expect(updates).toBe(60)
  })

  it('reads OKX’s documented layout: signed checksum, four strings per level', () => {
    expect(scan(UPDATE, T)).toEqual(general(UPDATE, T))
    expect(scan(UPDATE, T)).toMatchObject({ symbol: 'BTC-USDT-SWAP', checksum: -855196043, prevSeqId: 18000421, seqId: 18000423 })
  })

  it.each([
    ['a snapshot', UPDATE.replace('"update"', '"snapshot"')],
    ['books5', UPDATE.replace('"books"', '"books5"')],
    ['no seqId (a 2022 capture)', UPDATE.replace(',"prevSeqId":18000421,"seqId":18000423', '')],
    ['whitespace', UPDATE.replace('"seqId":18000423', '"seqId": 18000423')],
    ['keys in another order', UPDATE.replace('"prevSeqId":18000421,"seqId":18000423', '"seqId":18000423,"prevSeqId":18000421')],
    ['an escape in the instId', UPDATE.replace('BTC-USDT-SWAP', 'BTC-USDT\\u002dSWAP')],
    ['an empty instId', UPDATE.replace('BTC-USDT-SWAP', '')],
    ['a signed size', UPDATE.replace('"1.0395"', '"-1.0395"')],
    ['a number price', UPDATE.replace('"42001.4"', '42001.4')],
    ['a time in seconds', UPDATE.replace('1700000000167', '1700000000')],
    ['-0 as an id', UPDATE.replace('18000421', '-0')],
    ['a second row', UPDATE.replace(/}]}$/, '},{}]}')],
    ['text after the frame', `${UPDATE}\n`],
  ])('leaves a frame with %s to the general path', (_, raw) => {
    expect(scanBookUpdate(raw, T)).toBeUndefined()
  })

  it('accepts only frames the general path reads the same way, whatever one edit does to a valid frame', () => {
    // Every edit of the frame, not a sample: each run tries them all, in the same order.
    const alphabet = ['"', ',', '[', ']', '{', '}', ':', '.', '0', '1', '9', '-', 'e', 'E', ' ', '\\', 'u', 'x']
    let accepted = 0
    for (const edited of singleEdits(UPDATE, alphabet)) {
      const scanned = scan(edited, T)
      if (scanned === undefined) continue
      accepted++
      expect(scanned).toEqual(general(edited, T))
    }
    expect(accepted).toBeGreaterThan(100) // digits replaced by digits, at least
  })
})
