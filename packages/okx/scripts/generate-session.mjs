#!/usr/bin/env node
// Writes test/fixtures/session.replay.jsonl: a small synthetic OKX session (two symbols,
// book snapshots and chained updates, consecutive trade ids, the symbol list over REST), seeded
// so it is the same every time. It stands in until a real capture is recorded.
// TODO(new adapter): replace with a script converting a real capture (see test/fixtures/README.md).
import { writeFileSync } from 'node:fs'

const T0 = 1_700_000_000_000
const SYMBOLS = ['BTCUSDT', 'ETHUSDT']
let seed = 42
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
const lines = []
let t = T0
const line = (dir, data, extra = {}) => lines.push(JSON.stringify({ t: t++, dir, ...extra, data }))

line('rest', SYMBOLS, { url: 'https://example.invalid/api/symbols' })
line('out', { op: 'subscribe', channel: 'trades', symbols: SYMBOLS })
line('out', { op: 'subscribe', channel: 'book', symbols: SYMBOLS })
const state = SYMBOLS.map((symbol, i) => ({ symbol, seq: 1000 * (i + 1), trade: 500 * (i + 1), mid: i === 0 ? 37000 : 2000 }))
for (const s of state) {
  const bids = Array.from({ length: 5 }, (_, k) => [(s.mid - 1 - k).toFixed(1), '1.0'])
  const asks = Array.from({ length: 5 }, (_, k) => [(s.mid + 1 + k).toFixed(1), '1.0'])
  line('in', { channel: 'book', type: 'snapshot', symbol: s.symbol, seqId: s.seq, prevSeqId: -1, bids, asks, ts: t })
}
for (let step = 0; step < 60; step++) {
  const s = state[step % 2]
  if (step % 3 === 0) {
    const data = Array.from({ length: 1 + Math.floor(random() * 2) }, () => {
      const id = ++s.trade
      return { id, price: (s.mid + (random() - 0.5)).toFixed(1), qty: (0.1 + Math.floor(random() * 9) / 10).toFixed(1), side: random() < 0.5 ? 'buy' : 'sell', ts: t }
    })
    line('in', { channel: 'trades', symbol: s.symbol, data })
  } else {
    const prev = s.seq
    s.seq += 1 + Math.floor(random() * 3)
    const side = random() < 0.5 ? 'bids' : 'asks'
    const price = side === 'bids' ? s.mid - 1 - Math.floor(random() * 5) : s.mid + 1 + Math.floor(random() * 5)
    const level = [price.toFixed(1), random() < 0.2 ? '0' : (0.5 + Math.floor(random() * 30) / 10).toFixed(1)]
    line('in', { channel: 'book', type: 'update', symbol: s.symbol, seqId: s.seq, prevSeqId: prev, bids: side === 'bids' ? [level] : [], asks: side === 'asks' ? [level] : [], ts: t })
  }
}
writeFileSync(new URL('../test/fixtures/session.replay.jsonl', import.meta.url), `${lines.join('\n')}\n`)
