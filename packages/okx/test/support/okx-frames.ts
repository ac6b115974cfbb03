/**
 * OKX v5 public frames as the simulated OKX sends them (test support only: the adapter's own wire types live in
 * `src/wire.ts`, which these do not import, so the simulator cannot drift along with a parser bug). Field order
 * follows OKX's pushes (`arg`, `action`, `data`; in a book row `asks`, `bids`, `ts`, `checksum`, `prevSeqId`,
 * `seqId`), and every number is a decimal string unless OKX sends a number (`checksum`, `seqId`, `prevSeqId`).
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 */

/** A book level: `[price, size, "0" (deprecated liquidated orders), number of orders]`; size `"0"` deletes it. */
export type OkxLevel = readonly [px: string, sz: string, liq: '0', orders: string]

/** A subscription argument: `{channel, instId}`, or `{channel, instType}` for `liquidation-orders`. */
export interface OkxArg {
  readonly channel: string
  readonly instId?: string
  readonly instType?: string
}

/** One row of a `books` push. */
export interface OkxBookRow {
  readonly asks: OkxLevel[]
  readonly bids: OkxLevel[]
  readonly ts: string
  readonly checksum: number
  readonly prevSeqId: number
  readonly seqId: number
}

/** A data push: `{"arg":…,"action"?:…,"data":[…]}`. `action` only on `books`. */
export interface OkxPush<Row = unknown> {
  readonly arg: OkxArg
  readonly action?: 'snapshot' | 'update'
  readonly data: Row[]
}

/** One row of a `trades` push (several fills of one taker order at one price, `count` of them). */
export interface OkxTradeRow {
  readonly instId: string
  /** The last fill id of the aggregation (see simulated-okx-trades.ts). */
  readonly tradeId: string
  readonly px: string
  readonly sz: string
  readonly side: 'buy' | 'sell'
  readonly ts: string
  readonly count: string
}

/** A candle row: `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`. */
export type OkxCandleRow = readonly [string, string, string, string, string, string, string, string, '0' | '1']

/** An event answer: subscribe / unsubscribe acks and errors. */
export type OkxEvent =
  | { readonly event: 'subscribe' | 'unsubscribe'; readonly arg: OkxArg; readonly connId: string }
  | { readonly event: 'error'; readonly code: string; readonly msg: string; readonly connId: string }

/** Any frame the simulator sends, before JSON encoding (`pong` is sent as the bare text). */
export type OkxFrame = OkxPush | OkxEvent

/** `subscribe`/`unsubscribe` ack. */
export const ack = (event: 'subscribe' | 'unsubscribe', arg: OkxArg, connId: string): OkxEvent => ({ event, arg, connId })

/** An `error` event. */
export const errorEvent = (code: string, msg: string, connId: string): OkxEvent => ({ event: 'error', code, msg, connId })

/** True for a data push (has `arg` and `data`), as opposed to an event. */
export const isPush = (frame: OkxFrame): frame is OkxPush => 'arg' in frame && 'data' in frame

/** The channel of a push, `undefined` for events. */
export const channelOf = (frame: OkxFrame): string | undefined => (isPush(frame) ? frame.arg.channel : undefined)

/** The `instId` a push is about (the row's, for `liquidation-orders`), `undefined` for events. */
export function instIdOf(frame: OkxFrame): string | undefined {
  if (!isPush(frame)) return undefined
  return frame.arg.instId ?? (frame.data[0] as { instId?: string } | undefined)?.instId
}

/** Key of a subscription argument (`books:BTC-USDT`, `liquidation-orders:SWAP`). */
export const argKey = (arg: OkxArg): string => `${arg.channel}:${arg.instId ?? arg.instType ?? ''}`

/**
 * An integer count of `decimals`-place units as OKX writes decimals: no exponent, trailing zeros and a trailing
 * point removed (`30261`, `0.0002`), as in the 2022 capture.
 */
export function formatUnits(units: number, decimals: number): string {
  const negative = units < 0
  const digits = String(Math.abs(Math.round(units))).padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
}

/** A float rounded to `decimals` places, written as {@link formatUnits} does. */
export const formatDecimal = (value: number, decimals = 8): string => formatUnits(Math.round(value * 10 ** decimals), decimals)

/** Decimal places of a step such as OKX's `tickSz` / `lotSz` (`"0.1"` → 1, `"1"` → 0). */
export const decimalsOf = (step: string): number => (step.includes('.') ? step.length - step.indexOf('.') - 1 : 0)
