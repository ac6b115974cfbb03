import type { Channel, ChannelKind, ExchangeAdapter } from './adapter.js'
import { InvalidArgumentError } from './errors.js'

/** A validated channel. */
export interface ParsedChannel {
  readonly kind: ChannelKind
  /** The channel as the user wrote it. */
  readonly name: Channel
  /** For `bars`: the interval (`1m`). */
  readonly interval?: string
}

/** Every channel string an adapter accepts, for error messages and help. */
export function validChannelNames(adapter: Pick<ExchangeAdapter, 'channels' | 'barIntervals'>): string[] {
  const names: string[] = []
  for (const kind of adapter.channels) {
    if (kind === 'bars') for (const interval of adapter.barIntervals) names.push(`bars:${interval}`)
    else names.push(kind)
  }
  return names
}

/**
 * Validates channel strings against what an adapter offers.
 *
 * @throws InvalidArgumentError naming the bad channel or interval and the valid ones
 * @example parseChannels(['trades', 'bars:1m'], exchange)
 */
export function parseChannels(
  channels: readonly string[],
  adapter: Pick<ExchangeAdapter, 'id' | 'channels' | 'barIntervals'>,
): ParsedChannel[] {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new InvalidArgumentError('channels', channels, validChannelNames(adapter), 'at least one channel is required')
  }
  const parsed: ParsedChannel[] = []
  const seen = new Set<string>()
  for (const name of channels) {
    if (seen.has(name)) continue
    seen.add(name)
    parsed.push(parseChannel(name, adapter))
  }
  return parsed
}

function parseChannel(
  name: string,
  adapter: Pick<ExchangeAdapter, 'id' | 'channels' | 'barIntervals'>,
): ParsedChannel {
  if (typeof name === 'string' && name.startsWith('bars:') && adapter.channels.includes('bars')) {
    const interval = name.slice('bars:'.length)
    if (!adapter.barIntervals.includes(interval)) {
      throw new InvalidArgumentError(`${adapter.id} bar interval`, interval, adapter.barIntervals)
    }
    return { kind: 'bars', name: name as Channel, interval }
  }
  if (typeof name === 'string' && name !== 'bars' && (adapter.channels as readonly string[]).includes(name)) {
    return { kind: name as Exclude<ChannelKind, 'bars'>, name: name as Channel }
  }
  throw new InvalidArgumentError(`${adapter.id} channel`, name, [
    ...adapter.channels.map((kind) => (kind === 'bars' ? 'bars:<interval>' : kind)),
  ])
}

/**
 * Checks symbols against an exchange's symbol format (offline), rejecting
 * empty lists and duplicates.
 *
 * @param format a pattern every valid symbol matches
 * @param description how the format reads to a person (`upper-case like BTCUSDT`)
 * @throws InvalidArgumentError naming the bad symbol
 */
export function checkSymbolFormat(symbols: readonly string[], format: RegExp, description: string): string[] {
  if (!Array.isArray(symbols) || symbols.length === 0) {
    throw new InvalidArgumentError('symbols', symbols, [description], 'at least one symbol is required')
  }
  const unique: string[] = []
  for (const symbol of symbols) {
    if (typeof symbol !== 'string' || !format.test(symbol)) {
      throw new InvalidArgumentError('symbol', symbol, [description], 'malformed')
    }
    if (!unique.includes(symbol)) unique.push(symbol)
  }
  return unique
}

/**
 * Rejects symbols the exchange does not list.
 *
 * @param listed every symbol the exchange lists
 * @throws InvalidArgumentError naming the unknown symbols and some valid ones (closest first)
 */
export function checkSymbolsListed(exchange: string, symbols: readonly string[], listed: ReadonlySet<string>): void {
  const unknown = symbols.filter((symbol) => !listed.has(symbol))
  if (unknown.length === 0) return
  const suggestions = [...listed].sort((a, b) => similarity(unknown[0]!, b) - similarity(unknown[0]!, a))
  throw new InvalidArgumentError(
    `${exchange} symbol${unknown.length > 1 ? 's' : ''}`,
    unknown.length === 1 ? unknown[0] : unknown,
    suggestions,
    'not listed by the exchange',
  )
}

/** Shared-prefix length: cheap, good enough to put BTCUSDT first for BTCUSD. */
function similarity(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/**
 * What a feed subscribed to. An event of any other symbol, channel or bar
 * interval is a parse error, never an event: otherwise a frame could create
 * streams (and recorder folders) from its data alone.
 *
 * @example
 * const subscribed = new Subscriptions(['BTCUSDT'], parseChannels(['trades', 'bars:1m'], exchange))
 * subscribed.check('trades', frame.s) // throws TypeError for ETHUSDT
 */
export class Subscriptions {
  readonly #symbols: ReadonlySet<string>
  readonly #kinds: ReadonlySet<ChannelKind>
  readonly #intervals: ReadonlySet<string>

  constructor(symbols: readonly string[], channels: readonly ParsedChannel[]) {
    this.#symbols = new Set(symbols)
    this.#kinds = new Set(channels.map((channel) => channel.kind))
    this.#intervals = new Set(channels.flatMap((channel) => (channel.interval === undefined ? [] : [channel.interval])))
  }

  /** True when `symbol` is among the feed's symbols. */
  hasSymbol(symbol: string): boolean {
    return this.#symbols.has(symbol)
  }

  /** True when the feed subscribed to `kind` (for bars: at some interval). */
  hasChannel(kind: ChannelKind): boolean {
    return this.#kinds.has(kind)
  }

  /**
   * @param interval the bar interval, for `bars`
   * @throws TypeError naming the symbol and channel when the feed did not subscribe to them
   */
  check(kind: ChannelKind, symbol: unknown, interval?: string): void {
    if (typeof symbol === 'string' && this.#symbols.has(symbol) && this.#kinds.has(kind)) {
      if (kind !== 'bars' || (interval !== undefined && this.#intervals.has(interval))) return
    }
    const channel = kind === 'bars' ? `bars:${String(interval)}` : kind
    throw new TypeError(`${channel} data for ${String(JSON.stringify(symbol)).slice(0, 60)}, which this feed did not subscribe to`)
  }
}
