/**
 * Binance USDⓈ-M futures sessions for the adapter bench: the real 2021-07-22
 * capture (as `@dccd/binance`'s tests keep it) and the generated book stream
 * as futures would send it (update ids shared with other symbols, chained
 * by `pu`), with the books each must end in under the futures rule.
 */
import type { BookLevel } from '@dccd/core'
import { finish, type BookStream, type Frame } from '../book/frames.js'
import { generateStream, type GeneratedStream } from '../book/generate.js'
import { loadCapture, type CaptureLine } from '../fixtures.js'
import { fixed8, nknSnapshot, type WireFrame, type WireSession } from './sessions.js'

type Pair = [string, string]

interface FuturesDepth {
  readonly s: string
  readonly U: number
  readonly u: number
  readonly pu: number
  readonly b: Pair[]
  readonly a: Pair[]
}

const capture = (): CaptureLine[] => loadCapture('binance-usdm-2021-07-22')

/** The USDⓈ-M capture's frames and REST snapshots, in capture order. */
export function binanceFuturesCaptureSession(): WireSession {
  const frames: WireFrame[] = []
  let bookFrames = 0
  for (const line of capture()) {
    const receivedAt = Math.round(line.t * 1000)
    if (line.dir === 'rest') {
      frames.push({ kind: 'rest', raw: JSON.stringify(line.data), symbol: new URL(line.url!).searchParams.get('symbol')!, receivedAt })
      bookFrames++
    } else if (line.dir === 'in') {
      const raw = JSON.stringify(line.data)
      if (raw.includes('@depth')) bookFrames++
      frames.push({ kind: 'ws', raw, receivedAt })
    }
  }
  return { name: 'Binance USDⓈ-M capture', frames, bookFrames }
}

const toLevels = (pairs: readonly Pair[]): BookLevel[] => pairs.map(([p, q]) => ({ price: +p, amount: +q }))

/**
 * The USDⓈ-M capture as a synced book stream, by the documented futures rule and apart from the
 * adapter: each symbol's REST snapshot, then its events from the one spanning `lastUpdateId` on
 * (`u < lastUpdateId` dropped), each `pu` checked against the previous `u`.
 */
export function binanceFuturesStream(): BookStream {
  const symbols = new Map<string, number>()
  const pending = new Map<string, FuturesDepth[]>()
  const last = new Map<string, number | undefined>()
  const snapshotIds = new Map<string, number>()
  const frames: Frame[] = []
  const push = (symbol: string, event: FuturesDepth): void => {
    if (event.u < snapshotIds.get(symbol)!) return
    const previous = last.get(symbol)
    if (previous === undefined ? event.U > snapshotIds.get(symbol)! : event.pu !== previous) throw new Error(`${symbol}: pu chain broken at ${event.U}..${event.u}`)
    last.set(symbol, event.u)
    frames.push({ book: symbols.get(symbol)!, isSnapshot: false, bids: toLevels(event.b), asks: toLevels(event.a) })
  }
  for (const line of capture()) {
    if (line.dir === 'rest') {
      const symbol = new URL(line.url!).searchParams.get('symbol')!
      const body = line.data as { lastUpdateId: number; bids: Pair[]; asks: Pair[] }
      symbols.set(symbol, symbols.size)
      snapshotIds.set(symbol, body.lastUpdateId)
      frames.push({ book: symbols.get(symbol)!, isSnapshot: true, bids: toLevels(body.bids), asks: toLevels(body.asks) })
      for (const event of pending.get(symbol) ?? []) push(symbol, event)
      continue
    }
    const message = line.data as { stream?: string; data?: FuturesDepth } | null
    if (line.dir !== 'in' || !message?.stream?.includes('@depth')) continue
    const event = message.data!
    if (snapshotIds.has(event.s)) push(event.s, event)
    else pending.set(event.s, [...(pending.get(event.s) ?? []), event])
  }
  return finish('Binance USDⓈ-M capture', [...symbols.keys()], frames)
}

const START_US = 1_626_992_741_000_000

/**
 * The generated book stream as USDⓈ-M futures would send it for `NKNUSDT`: combined-stream
 * `depthUpdate` frames whose ids skip what other symbols took (so `U` never follows the previous
 * `u`) and whose `pu` is the previous `u`, with transaction times; the REST snapshot (its
 * `lastUpdateId` inside the first event, as the futures rule expects) right after that event.
 */
export function binanceFuturesGeneratedSession(stream: GeneratedStream = generateStream(nknSnapshot())): WireSession {
  const [snapshot, ...deltas] = stream.frames
  let id = 600_000_000_000
  let previous = id - 7
  const frames: WireFrame[] = []
  deltas.forEach((frame, i) => {
    const count = frame.bids.length + frame.asks.length
    const U = id
    const u = id + count - 1
    const T = 1_626_992_741_000 + i * 100
    const data = { e: 'depthUpdate', E: T + 5, T, s: 'NKNUSDT', U, u, pu: previous, b: fixed8(frame.bids), a: fixed8(frame.asks) }
    frames.push({ kind: 'ws', raw: JSON.stringify({ stream: 'nknusdt@depth@100ms', data }), receivedAt: START_US + i * 100_000 })
    if (i === 0) {
      const body = { lastUpdateId: U, E: T + 6, T, bids: fixed8(snapshot!.bids), asks: fixed8(snapshot!.asks) }
      frames.push({ kind: 'rest', raw: JSON.stringify(body), symbol: 'NKNUSDT', receivedAt: START_US + 50_000 })
    }
    previous = u
    // Other symbols' updates take the ids in between.
    id = u + 1 + (i % 7)
  })
  return { name: 'Binance USDⓈ-M generated', frames, bookFrames: frames.length }
}
