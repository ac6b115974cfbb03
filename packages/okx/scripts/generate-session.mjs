#!/usr/bin/env node
// Writes test/fixtures/session.replay.jsonl: a small synthetic OKX v5 public session in the testkit's replay
// format ({t, dir, data, url?} per line), seeded so it is the same every time:
// - `rest` lines: GET /api/v5/public/instruments for SPOT (BTC-USDT), SWAP (BTC-USDT-SWAP) and FUTURES (none);
// - the URL line of the /ws/v5/public connection, then ONE `out` subscribe listing, for each instrument in the
//   order BTC-USDT, BTC-USDT-SWAP, `books` then `trades`;
// - one ack per arg (same order, one connId), a `books` snapshot per instrument (10 levels a side, prevSeqId -1);
// - 60 `books` updates chained by prevSeqId (seqId = previous + 1 + levels sent), two of them no-change updates
//   (empty sides, prevSeqId == seqId, one per instrument), levels [px, sz, "0", orders] with sz "0" deleting;
// - `trades` rows (taker side, one per taker order with `count` fills; tradeId = the last fill's id, so the ids
//   increase but skip). checksum is 0 everywhere, as OKX sends today.
// Run: pnpm --filter @dccd/okx generate-session (or node scripts/generate-session.mjs).
import { writeFileSync } from 'node:fs'

const T0 = 1_700_000_000_000
const CONN_ID = 'a4d3ae55'
let seed = 20_240_501
const random = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296
}
const int = (min, max) => min + Math.floor(random() * (max - min + 1))
const fmt = (units, decimals) => {
  const digits = String(units).padStart(decimals + 1, '0')
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return digits.slice(0, digits.length - decimals) + (fraction ? `.${fraction}` : '')
}

const INSTRUMENTS = [
  { instId: 'BTC-USDT', mid: 420_000, szDecimals: 8, size: () => int(1, 20_000) * 10_000, seqId: 18_000_421, tradeId: 130_639_474 },
  { instId: 'BTC-USDT-SWAP', mid: 420_105, szDecimals: 0, size: () => int(1, 500), seqId: 27_104_990, tradeId: 81_223_005 },
]
const ROWS = {
  SPOT: [{ instType: 'SPOT', instId: 'BTC-USDT', uly: '', instFamily: '', baseCcy: 'BTC', quoteCcy: 'USDT', settleCcy: '', ctVal: '', ctMult: '', ctValCcy: '', ctType: '', listTime: '1575158400000', expTime: '', state: 'live', tickSz: '0.1', lotSz: '0.00000001' }],
  SWAP: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP', uly: 'BTC-USDT', instFamily: 'BTC-USDT', baseCcy: '', quoteCcy: '', settleCcy: 'USDT', ctVal: '0.01', ctMult: '1', ctValCcy: 'BTC', ctType: 'linear', listTime: '1575158400000', expTime: '', state: 'live', tickSz: '0.1', lotSz: '1' }],
  FUTURES: [],
}

const lines = []
let t = T0
const line = (dir, data, extra = {}) => {
  t += int(1, 40)
  lines.push(JSON.stringify({ t, dir, ...extra, data }))
}
const ts = () => String(t - int(1, 5))

for (const type of ['SPOT', 'SWAP', 'FUTURES']) line('rest', { code: '0', msg: '', data: ROWS[type] }, { url: `https://www.okx.com/api/v5/public/instruments?instType=${type}` })
line('out', null, { url: 'wss://ws.okx.com:8443/ws/v5/public' })
const args = INSTRUMENTS.flatMap(({ instId }) => [{ channel: 'books', instId }, { channel: 'trades', instId }])
line('out', { op: 'subscribe', args })
for (const arg of args) line('in', { event: 'subscribe', arg, connId: CONN_ID })

const level = (inst, ticks, lots, orders) => [fmt(ticks, 1), lots === 0 ? '0' : fmt(lots, inst.szDecimals), '0', String(orders)]
for (const inst of INSTRUMENTS) {
  inst.bids = new Map()
  inst.asks = new Map()
  for (let k = 1; k <= 10; k++) {
    inst.bids.set(inst.mid - k * int(1, 2) - k, { lots: inst.size(), orders: int(1, 9) })
    inst.asks.set(inst.mid + k * int(1, 2) + k, { lots: inst.size(), orders: int(1, 9) })
  }
  const sorted = (side, descending) => [...side].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])).map(([p, l]) => level(inst, p, l.lots, l.orders))
  const data = [{ asks: sorted(inst.asks, false), bids: sorted(inst.bids, true), ts: ts(), checksum: 0, prevSeqId: -1, seqId: inst.seqId }]
  line('in', { arg: { channel: 'books', instId: inst.instId }, action: 'snapshot', data })
}

/** One update of `inst`: 1-3 changed levels (resize, delete, or a new level behind the best), or none. */
function update(inst, noChange) {
  const changes = { bids: new Map(), asks: new Map() }
  const count = noChange ? 0 : int(1, 3)
  // Until `count` attempts are made and (unless noChange) at least one level changed.
  for (let i = 0; i < count || (!noChange && changes.bids.size + changes.asks.size === 0); i++) {
    const name = random() < 0.5 ? 'bids' : 'asks'
    const side = inst[name]
    const prices = [...side.keys()].sort((a, b) => (name === 'bids' ? b - a : a - b))
    const roll = random()
    if (roll < 0.55) {
      const price = prices[int(0, prices.length - 1)]
      side.set(price, { lots: inst.size(), orders: int(1, 9) })
      changes[name].set(price, side.get(price))
    } else if (roll < 0.75 && prices.length > 5) {
      const price = prices[int(0, prices.length - 1)]
      side.delete(price)
      changes[name].set(price, { lots: 0, orders: 0 })
    } else {
      const price = prices[0] + (name === 'bids' ? -1 : 1) * int(1, 12)
      if (side.has(price)) continue
      side.set(price, { lots: inst.size(), orders: int(1, 9) })
      changes[name].set(price, side.get(price))
    }
  }
  const out = (name, descending) => [...changes[name]].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])).map(([p, l]) => level(inst, p, l.lots, l.orders))
  const asks = out('asks', false)
  const bids = out('bids', true)
  const prevSeqId = inst.seqId
  if (asks.length + bids.length > 0) inst.seqId = prevSeqId + 1 + asks.length + bids.length
  line('in', { arg: { channel: 'books', instId: inst.instId }, action: 'update', data: [{ asks, bids, ts: ts(), checksum: 0, prevSeqId, seqId: inst.seqId }] })
}

/** One `trades` push of `inst`: a taker order of 1-3 fills at the best price it hit. */
function trade(inst) {
  const side = random() < 0.5 ? 'buy' : 'sell'
  const best = side === 'buy' ? Math.min(...inst.asks.keys()) : Math.max(...inst.bids.keys())
  const count = int(1, 3)
  inst.tradeId += count
  const row = { instId: inst.instId, tradeId: String(inst.tradeId), px: fmt(best, 1), sz: fmt(inst.size(), inst.szDecimals), side, ts: ts(), count: String(count) }
  line('in', { arg: { channel: 'trades', instId: inst.instId }, data: [row] })
}

const NO_CHANGE_AT = new Set([17, 42])
for (let n = 0; n < 60; n++) {
  const inst = INSTRUMENTS[n % 2]
  update(inst, NO_CHANGE_AT.has(n))
  if (n % 3 === 2) trade(INSTRUMENTS[int(0, 1)])
}

writeFileSync(new URL('../test/fixtures/session.replay.jsonl', import.meta.url), `${lines.join('\n')}\n`)
