/**
 * One WebSocket connection of the simulated OKX: which socket it is (`/ws/v5/public` or `/ws/v5/business`), what
 * it subscribed, what the client sent, and the rules deciding whether a subscription argument is accepted there
 * (https://www.okx.com/docs-v5/en/#overview-websocket-subscribe, error codes 60012 / 60018 / 64001).
 */
import { crc32 } from 'node:zlib'
import type { FakeConnection } from '@dccd/testkit'
import { argKey } from './okx-frames.js'
import type { OkxArg } from './okx-frames.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'
import { OKX_BARS } from './simulated-okx-candles.js'

/** Channels of `/ws/v5/public` keyed by `instId` that the simulator serves. */
export const PUBLIC_CHANNELS = ['books', 'books5', 'bbo-tbt', 'trades', 'mark-price', 'index-tickers', 'funding-rate', 'open-interest'] as const

/** The bar of a candle channel (`candle1m` → `1m`), `undefined` for other channels. */
export const barOf = (channel: string): string | undefined => (channel.startsWith('candle') ? channel.slice('candle'.length) : undefined)

export class OkxConnection {
  /** OKX's per-connection id, echoed in every event (8 hex digits, derived from the connection number). */
  readonly connId: string
  /** Which socket: from the upgrade path. */
  readonly socket: 'public' | 'business' | 'other'
  /** Current subscriptions by {@link argKey}. */
  readonly subscriptions = new Map<string, OkxArg>()
  /** Every acknowledged argument, in order. */
  readonly acks: Array<{ readonly event: 'subscribe' | 'unsubscribe'; readonly arg: OkxArg }> = []
  /** Arguments acknowledged with `subscribe` / `unsubscribe`, and answered with an `error` event. */
  subscribes = 0
  unsubscribes = 0
  errors = 0
  /** Text `ping`s received, and `pong`s sent for them. */
  pings = 0
  pongs = 0
  /** Market time (ms) of the last frame pushed to it; the idle close counts from here. */
  lastPushAt: number
  /** Cut, stalled or idle-closed by the simulator: nothing more is sent or answered. */
  dead = false
  /** Set when the simulator closed it because nothing had been pushed for `idleCloseMs`. */
  idleClosed = false

  constructor(
    readonly connection: FakeConnection,
    now: number,
  ) {
    this.connId = (crc32(`okx-conn-${connection.id}`) >>> 0).toString(16).padStart(8, '0')
    const path = connection.path.split('?')[0]!.replace(/\/$/, '')
    this.socket = path === '/ws/v5/public' ? 'public' : path === '/ws/v5/business' ? 'business' : 'other'
    this.lastPushAt = now
  }

  /** Every message the client sent, text `ping`s left out. */
  get messages(): string[] {
    return this.connection.messages.filter((message) => message !== 'ping')
  }

  /** True while the socket is open and the simulator still serves it. */
  get live(): boolean {
    return !this.dead && this.connection.isOpen
  }

  /** Whether it holds the subscription `arg`. */
  has(arg: OkxArg): boolean {
    return this.subscriptions.has(argKey(arg))
  }
}

/** What decides whether an argument exists. */
export interface ArgRules {
  readonly specs: readonly OkxInstrumentSpec[]
  /** Derivative channels: whether `channel` exists for `id`. */
  readonly serves: (channel: string, id: string) => boolean
}

/**
 * The error `{code, msg}` OKX answers `arg` with on `socket`, or `undefined` when it is accepted: candles only on
 * `/business` (64001 on `/public`), the other channels only on `/public`, unknown channels and instruments 60018.
 */
export function argError(socket: OkxConnection['socket'], arg: OkxArg, rules: ArgRules): { code: string; msg: string } | undefined {
  const id = arg.instId ?? arg.instType ?? ''
  const wrong = { code: '60018', msg: `Wrong URL or channel:${arg.channel},${arg.instId === undefined ? 'instType' : 'instId'}:${id} doesn't exist` }
  const bar = barOf(arg.channel)
  if (bar !== undefined && OKX_BARS[bar] !== undefined) {
    if (socket === 'public') return { code: '64001', msg: "This channel has been migrated to the '/business' URL" }
    if (socket !== 'business') return wrong
    return rules.specs.some((spec) => spec.instId === arg.instId) ? undefined : wrong
  }
  if (socket !== 'public') return wrong
  if (arg.channel === 'liquidation-orders') return arg.instType === 'SWAP' || arg.instType === 'FUTURES' ? undefined : wrong
  if (arg.instId === undefined) return wrong
  switch (arg.channel) {
    case 'books':
    case 'books5':
    case 'bbo-tbt':
    case 'trades':
      return rules.specs.some((spec) => spec.instId === arg.instId) ? undefined : wrong
    case 'mark-price':
    case 'index-tickers':
    case 'funding-rate':
    case 'open-interest':
      return rules.serves(arg.channel, arg.instId) ? undefined : wrong
    default:
      return wrong
  }
}
