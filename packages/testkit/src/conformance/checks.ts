/**
 * Pure checks of normalized events against the contract in @dccd/core.
 * Each returns a description of the first problem, or undefined.
 */
import type { BookLevel, DerivativeEvent, MarketEvent } from '@dccd/core'

// Plausible µs since the epoch: 2001-09-09 .. 5138. Milliseconds (~1.6e12) and
// nanoseconds (~1.6e18) both fall outside.
const MIN_MICROS = 1e15
const MAX_MICROS = 1e17
// Local receive times must be close to the real clock (µs), whatever the replayed data says.
const LOCAL_SKEW_MICROS = 5 * 60 * 1_000_000

function describe(event: MarketEvent): string {
  return JSON.stringify(event).slice(0, 300)
}

function microsProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${name} ${String(value)} is not an integer`
  if (value < MIN_MICROS || value > MAX_MICROS) return `${name} ${value} is not in microseconds since the epoch`
  return undefined
}

/** Every timestamp field is an integer µs value; localTimestamp is near now. */
export function timestampProblem(event: MarketEvent, nowMicros: number): string | undefined {
  const fields: Array<[string, unknown]> = [['localTimestamp', event.localTimestamp]]
  if (event.type !== 'status') fields.push(['timestamp', event.timestamp])
  if (event.type === 'bar') fields.push(['openTime', event.openTime])
  if (event.type === 'derivative' && 'fundingTime' in event) fields.push(['fundingTime', event.fundingTime])
  for (const [name, value] of fields) {
    const problem = microsProblem(name, value)
    if (problem !== undefined) return `${problem}: ${describe(event)}`
  }
  if (Math.abs(event.localTimestamp - nowMicros) > LOCAL_SKEW_MICROS) {
    return `localTimestamp ${event.localTimestamp} is not the local receive time in µs (now ${nowMicros}): ${describe(event)}`
  }
  return undefined
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

function levelsProblem(side: string, levels: unknown): string | undefined {
  if (!Array.isArray(levels)) return `${side} is not an array`
  for (const level of levels as BookLevel[]) {
    if (typeof level !== 'object' || level === null) return `${side} holds a non-object level`
    if (!isFiniteNumber(level.price) || level.price <= 0) return `${side} level price ${String(level.price)} is not a positive number`
    if (!isFiniteNumber(level.amount) || level.amount < 0) return `${side} level amount ${String(level.amount)} is not a number >= 0`
  }
  return undefined
}

const STATUS_KINDS = new Set(['connected', 'disconnected', 'resync', 'gap'])
const SIDES = new Set(['buy', 'sell', 'unknown'])
const OPTIONAL_STATUS_STRINGS = ['symbol', 'channel', 'reason', 'fromId', 'toId'] as const

/** The event has the normalized shape for its type, for this exchange and these symbols. */
export function shapeProblem(
  event: MarketEvent,
  exchangeId: string,
  symbols: readonly string[],
  barIntervals: readonly string[],
): string | undefined {
  const problem = shapeProblemOf(event, exchangeId, symbols, barIntervals)
  return problem === undefined ? undefined : `${problem}: ${describe(event)}`
}

function shapeProblemOf(
  event: MarketEvent,
  exchangeId: string,
  symbols: readonly string[],
  barIntervals: readonly string[],
): string | undefined {
  if (typeof event !== 'object' || event === null) return 'event is not an object'
  if (event.exchange !== exchangeId) return `exchange is ${JSON.stringify(event.exchange)}, not ${JSON.stringify(exchangeId)}`
  if (event.type === 'status') {
    if (!STATUS_KINDS.has(event.status)) return `status ${JSON.stringify(event.status)} is not one of ${[...STATUS_KINDS].join(', ')}`
    for (const key of OPTIONAL_STATUS_STRINGS) {
      if (event[key] !== undefined && typeof event[key] !== 'string') return `status ${key} is not a string`
    }
    return undefined
  }
  if (!symbols.includes(event.symbol)) return `symbol ${JSON.stringify(event.symbol)} is not one of ${symbols.join(', ')}`
  switch (event.type) {
    case 'trade':
      if (typeof event.id !== 'string' || event.id === '') return 'trade id is not a non-empty string'
      if (!isFiniteNumber(event.price) || event.price <= 0) return 'trade price is not a positive number'
      if (!isFiniteNumber(event.amount) || event.amount < 0) return 'trade amount is not a number >= 0'
      if (!SIDES.has(event.side)) return `trade side ${JSON.stringify(event.side)} is not buy, sell or unknown`
      return undefined
    case 'book':
      if (typeof event.isSnapshot !== 'boolean') return 'book isSnapshot is not a boolean'
      return levelsProblem('bids', event.bids) ?? levelsProblem('asks', event.asks)
    case 'bar': {
      if (!barIntervals.includes(event.interval)) return `bar interval ${JSON.stringify(event.interval)} is not offered`
      for (const key of ['open', 'high', 'low', 'close', 'volume'] as const) {
        if (!isFiniteNumber(event[key]) || event[key] < 0) return `bar ${key} is not a number >= 0`
      }
      if (event.high < event.low) return 'bar high is below its low'
      if (typeof event.closed !== 'boolean') return 'bar closed is not a boolean'
      return undefined
    }
    case 'quote':
      for (const key of ['bidPrice', 'askPrice'] as const) {
        if (!isFiniteNumber(event[key]) || event[key] <= 0) return `quote ${key} is not a positive number`
      }
      for (const key of ['bidAmount', 'askAmount'] as const) {
        if (!isFiniteNumber(event[key]) || event[key] < 0) return `quote ${key} is not a number >= 0`
      }
      return undefined
    case 'derivative':
      return derivativeProblem(event)
    case 'liquidation':
      if ('id' in event && (typeof event.id !== 'string' || event.id === '')) return 'liquidation id is present but not a non-empty string'
      if (event.side !== 'buy' && event.side !== 'sell') return `liquidation side ${JSON.stringify(event.side)} is not buy or sell`
      if (!isFiniteNumber(event.price) || event.price <= 0) return 'liquidation price is not a positive number'
      if (!isFiniteNumber(event.amount) || event.amount <= 0) return 'liquidation amount is not a positive number'
      return undefined
    default:
      return `unknown event type ${JSON.stringify((event as { type?: unknown }).type)}`
  }
}

const DERIVATIVE_FIELDS = ['markPrice', 'indexPrice', 'fundingRate', 'fundingTime', 'openInterest'] as const

/**
 * A derivative event carries at least one field; a field the venue did not
 * send is absent (not `undefined`, not 0 standing in for "unknown"). Prices
 * are positive, open interest ≥ 0, the funding rate any finite number.
 */
function derivativeProblem(event: DerivativeEvent): string | undefined {
  const present = DERIVATIVE_FIELDS.filter((key) => key in event)
  if (present.length === 0) return `derivative event carries none of ${DERIVATIVE_FIELDS.join(', ')}`
  for (const key of present) {
    const value = event[key]
    if (!isFiniteNumber(value)) return `derivative ${key} is present but not a finite number (absent fields must be left out)`
  }
  for (const key of ['markPrice', 'indexPrice'] as const) {
    if (key in event && event[key]! <= 0) return `derivative ${key} ${event[key]} is not positive (a missing value must be absent, not 0)`
  }
  if ('openInterest' in event && event.openInterest! < 0) return 'derivative openInterest is negative'
  return undefined
}
