/**
 * Options → connections and subscribe requests (pure). One OKX connection
 * carries many instruments and channels, so instruments are spread over
 * connections of at most `maxInstrumentsPerConnection` each: `/ws/v5/public`
 * for books, trades, quotes and derivatives, `/ws/v5/business` for candles.
 * https://www.okx.com/docs-v5/en/#overview-websocket-subscribe
 */
import type { MarketFeedSlot } from '@dccd/transport'
import { candleChannel, indexOf, instTypeOf } from './capabilities.js'
import { BUSINESS_PATH, PUBLIC_PATH } from './options.js'
import type { ResolvedOkxOptions } from './options.js'
import type { OkxArg } from './wire.js'

/** Args per subscribe request: far below OKX's 64 KB, and few requests against its 480 an hour. */
const ARGS_PER_REQUEST = 100

/** One connection: its slot (URL, instruments, channels) and what it subscribes to. */
export interface ConnectionPlan extends MarketFeedSlot {
  readonly args: readonly OkxArg[]
}

/** The connections of a feed, public ones first. */
export function planConnections(config: ResolvedOkxOptions): ConnectionPlan[] {
  const plans: ConnectionPlan[] = []
  const publicChannels = config.channels.filter((channel) => channel.kind !== 'bars').map((channel) => channel.name as string)
  const intervals = config.channels.flatMap((channel) => (channel.interval === undefined ? [] : [channel.interval]))
  for (const symbols of chunks(config.symbols, config.maxInstrumentsPerConnection)) {
    if (publicChannels.length > 0) {
      plans.push({ url: `${config.wsUrl}${PUBLIC_PATH}`, symbols, channels: publicChannels, args: publicArgs(symbols, config) })
    }
    if (intervals.length > 0) {
      const args = symbols.flatMap((instId) => intervals.map((interval) => ({ channel: candleChannel(interval), instId })))
      plans.push({ url: `${config.wsUrl}${BUSINESS_PATH}`, symbols, channels: intervals.map((interval) => `bars:${interval}`), args })
    }
  }
  return plans
}

/** A public connection's args: per instrument in order, then the shared ones (indexes, liquidations by type). */
function publicArgs(symbols: readonly string[], config: ResolvedOkxOptions): OkxArg[] {
  const subscribed = config.subscribed
  const args: OkxArg[] = []
  const indexes = new Set<string>()
  const liquidationTypes = new Set<string>()
  for (const instId of symbols) {
    const derivative = instTypeOf(instId) !== 'SPOT'
    if (subscribed.hasChannel('book')) args.push({ channel: config.bookDepth === 5 ? 'books5' : 'books', instId })
    if (subscribed.hasChannel('trades')) args.push({ channel: 'trades', instId })
    if (subscribed.hasChannel('quotes')) args.push({ channel: 'bbo-tbt', instId })
    if (derivative && subscribed.hasChannel('derivatives')) {
      args.push({ channel: 'mark-price', instId }, { channel: 'open-interest', instId })
      // Only perpetuals fund; OKX refuses a quarterly future's funding-rate arg.
      if (instTypeOf(instId) === 'SWAP') args.push({ channel: 'funding-rate', instId })
      indexes.add(indexOf(instId))
    }
    if (derivative && subscribed.hasChannel('liquidations')) liquidationTypes.add(instTypeOf(instId))
  }
  for (const index of indexes) args.push({ channel: 'index-tickers', instId: index })
  for (const instType of liquidationTypes) args.push({ channel: 'liquidation-orders', instType })
  return args
}

/** The subscribe requests for `args`. */
export function subscribeRequests(args: readonly OkxArg[]): object[] {
  return chunks(args, ARGS_PER_REQUEST).map((chunk) => ({ op: 'subscribe', args: chunk }))
}

/** Takes one instrument's book again: OKX answers the subscription with a fresh snapshot. */
export function resubscribeBook(instId: string, bookDepth: 5 | 400): object[] {
  const args = [{ channel: bookDepth === 5 ? 'books5' : 'books', instId }]
  return [
    { op: 'unsubscribe', args },
    { op: 'subscribe', args },
  ]
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
