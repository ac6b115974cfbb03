/**
 * A session in the toy exchange's trivial JSON protocol. Each symbol's book starts with a
 * delta before its snapshot (as Binance deltas precede the REST snapshot), so an adapter
 * that does not wait for the snapshot is caught.
 */
import type { SessionFrame } from '../../src/index.js'

export const TOY_SYMBOLS = ['AAA-BBB', 'CCC-DDD']
const T0 = 1633998512068

export function toySession(): SessionFrame[] {
  const frames: SessionFrame[] = []
  let t = T0
  const add = (dir: 'in' | 'out', data: unknown): void => {
    frames.push({ t: t++, dir, data })
  }
  add('in', { kind: 'hello' })
  add('out', { op: 'subscribe' })
  add('in', { kind: 'ack' })
  for (const s of TOY_SYMBOLS) {
    add('in', { kind: 'book', s, snapshot: false, b: [[100, 3]], a: [], ts: t })
    add('in', { kind: 'book', s, snapshot: true, b: [[100, 1], [99, 2]], a: [[101, 1]], ts: t })
  }
  for (let i = 0; i < 40; i++) {
    const s = TOY_SYMBOLS[i % 2]!
    add('in', { kind: 'trade', s, id: i + 1, p: 100.5, q: 0.25, side: i % 3 === 0 ? 'b' : 's', ts: t })
    add('in', { kind: 'book', s, snapshot: false, b: [[99 - (i % 5), i % 4]], a: [], ts: t })
    add('in', { kind: 'bar', s, i: '1m', t: T0 - (T0 % 60_000), o: 100, h: 102, l: 99, c: 101, v: 12, x: false, ts: t })
    add('in', { kind: 'heartbeat' })
  }
  frames.push({ t: t++, dir: 'rest', url: 'https://api.toy.example/symbols', data: [...TOY_SYMBOLS, 'EEE-FFF'] })
  return frames
}
