/**
 * A generated COIN-M session in the replay format (seeded, so every run and
 * every machine gets the same frames): what a client subscribed to every
 * futures channel of three contracts (a BTC and an ETH perpetual, a BTC
 * quarterly) would have recorded from `dstream`/`dapi`. The books and trades
 * come from {@link CoinmStream} (update ids shared with unwatched contracts,
 * `pu` chains); around them: each symbol's REST snapshot (taken inside the
 * third tick's event, after the stream started), bookTicker frames with the
 * true best bid and ask, mark prices (the quarterly without funding, as
 * Binance sends `r: ""`, `T: 0`), liquidations, klines, exchangeInfo and
 * openInterest answers. Binance's production COIN-M capture is not
 * available; this is what the conformance suite replays for `delivery`.
 */
import { SeededRandom } from '@dccd/testkit'
import type { SessionFrame } from '@dccd/testkit'
import { CoinmStream } from './coinm-stream.js'
import { FUTURES_TIME_MS, futuresExchangeInfoBody } from './futures-frames.js'

/** The contracts of the session. */
export const COINM_SESSION_SYMBOLS = ['BTCUSD_PERP', 'ETHUSD_PERP', 'BTCUSD_250627']

const TICK_MS = 10
const SNAPSHOT_TICK = 3
const NEXT_FUNDING_MS = 1_700_006_400_000

/** The session: `ticks` ticks of 10 ms. */
export function coinmSession(seed = 20_261_206, ticks = 150): SessionFrame[] {
  const prng = new SeededRandom(seed)
  const stream = new CoinmStream(COINM_SESSION_SYMBOLS, prng.fork())
  const extras = prng.fork()
  const names = COINM_SESSION_SYMBOLS.flatMap((s) =>
    ['aggTrade', 'depth@100ms', 'kline_1m', 'bookTicker', 'markPrice@1s', 'forceOrder'].map((kind) => `${s.toLowerCase()}@${kind}`),
  )
  let t = FUTURES_TIME_MS
  const frames: SessionFrame[] = [
    { t, dir: 'out', url: `wss://dstream.binance.com/stream?streams=${names.join('/')}`, data: null },
    { t, dir: 'rest', url: 'https://dapi.binance.com/dapi/v1/exchangeInfo', data: futuresExchangeInfoBody(COINM_SESSION_SYMBOLS, 'coinm', 6000) },
  ]
  const push = (symbol: string, kind: string, data: object): void => {
    frames.push({ t, dir: 'in', data: { stream: `${symbol.toLowerCase()}@${kind}`, data } })
  }
  for (let tick = 1; tick <= ticks; tick++) {
    t += TICK_MS
    for (const frame of stream.tick()) frames.push({ t, dir: 'in', data: JSON.parse(frame.text) as object })
    for (const state of stream.symbols.values()) {
      const { symbol, lastFinal } = state
      const time = FUTURES_TIME_MS + lastFinal
      if (tick === SNAPSHOT_TICK) {
        const body = stream.snapshotAt(symbol, extras.int(state.lastFirst, state.lastFinal))
        frames.push({ t, dir: 'rest', url: `https://dapi.binance.com/dapi/v1/depth?symbol=${symbol}&limit=1000`, data: body })
      }
      const bestBid = Math.max(...state.bids.keys())
      const bestAsk = state.asks.size === 0 ? undefined : Math.min(...state.asks.keys())
      if (bestAsk !== undefined && extras.chance(0.5)) {
        const ticker = { u: lastFinal, s: symbol, ps: symbol.split('_')[0], b: bestBid.toFixed(2), B: String(state.bids.get(bestBid)), a: bestAsk.toFixed(2), A: String(state.asks.get(bestAsk)) }
        push(symbol, 'bookTicker', { e: 'bookTicker', ...ticker, T: time, E: time + 2 })
      }
      if (tick % 10 === 0) {
        const perpetual = symbol.endsWith('_PERP')
        const mark = (100 + extras.int(-50, 50) / 100).toFixed(8)
        const funding = perpetual ? { r: (extras.int(-20, 20) / 100_000).toFixed(8), T: NEXT_FUNDING_MS } : { r: '', T: 0 }
        push(symbol, 'markPrice@1s', { e: 'markPriceUpdate', E: time, s: symbol, p: mark, P: mark, i: (99.9).toFixed(8), ...funding })
        push(symbol, 'kline_1m', {
          e: 'kline',
          E: time,
          s: symbol,
          k: { t: Math.floor(time / 60_000) * 60_000, T: Math.floor(time / 60_000) * 60_000 + 59_999, s: symbol, i: '1m', f: 1, L: state.tradeId, o: '100.00', c: '100.25', h: '101.00', l: '99.50', v: String(state.tradeId * 3), n: state.tradeId, x: false, q: (state.tradeId * 0.03).toFixed(8), V: '1', Q: '0.01', B: '0' },
        })
      }
      if (extras.chance(0.02)) {
        const contracts = String(extras.int(1, 50))
        const order = { s: symbol, ps: symbol.split('_')[0], S: extras.pick(['BUY', 'SELL']), o: 'LIMIT', f: 'IOC', q: contracts, p: '99.10', ap: '99.25', X: 'FILLED', l: contracts, z: contracts, T: time }
        push(symbol, 'forceOrder', { e: 'forceOrder', E: time + 1, o: order })
      }
    }
  }
  for (const symbol of COINM_SESSION_SYMBOLS) {
    const contractType = symbol.endsWith('_PERP') ? 'PERPETUAL' : 'CURRENT_QUARTER'
    const body = { symbol, pair: symbol.split('_')[0], openInterest: String(extras.int(1000, 90_000)), contractType, time: FUTURES_TIME_MS }
    frames.push({ t, dir: 'rest', url: `https://dapi.binance.com/dapi/v1/openInterest?symbol=${symbol}`, data: body })
  }
  return frames
}
