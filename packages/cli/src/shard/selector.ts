/**
 * Symbols picked from the exchange's instrument list instead of named one by
 * one: `symbols: { quote: USDT, type: spot }` in a config feed, or
 * `--symbols-from quote=USDT,type=spot`. Resolved when the recording starts,
 * with one `adapter.instruments()` request; instruments the adapter marks as
 * not trading are left out (their streams stay silent).
 */
import type { ExchangeAdapter, Instrument, InstrumentType, Logger } from '@dccd/core'
import { UsageError, isUsageError } from '../errors.js'

/** The fields of core's `Instrument` a selector may test. */
export const SELECTOR_KEYS = ['type', 'base', 'quote', 'settle'] as const

/** One of {@link SELECTOR_KEYS}. */
export type SelectorKey = (typeof SELECTOR_KEYS)[number]

/** Per field, the values accepted (any of them); an instrument must match every field given. Empty: every instrument. */
export type InstrumentSelector = Readonly<Partial<Record<SelectorKey, readonly string[]>>>

const TYPES: readonly InstrumentType[] = ['spot', 'perpetual', 'future']

/** How a selector reads in messages: `quote=USDT,type=spot` (`all` when empty). */
export function describeSelector(selector: InstrumentSelector): string {
  const parts = SELECTOR_KEYS.flatMap((key) => (selector[key] ?? []).map((value) => `${key}=${value}`))
  return parts.length === 0 ? 'all' : parts.join(',')
}

/** True for a config value that has the shape of a selector: a mapping of known keys to strings or lists of strings. */
export function isSelectorShape(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  return Object.entries(value).every(
    ([key, v]) => (SELECTOR_KEYS as readonly string[]).includes(key) && (typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'))),
  )
}

/**
 * A selector from `quote=USDT,type=spot` (a key given twice accepts either value; `all`: every
 * instrument) or from a config mapping `{ quote: USDT, type: [spot] }`.
 *
 * @param where how messages name the value: `--symbols-from`, `config feeds[0].symbols`
 * @throws UsageError (exit 2) naming the bad key or value and the valid ones
 * @example parseSelector('quote=USDT,type=spot', '--symbols-from') // { quote: ['USDT'], type: ['spot'] }
 */
export function parseSelector(value: string | Readonly<Record<string, unknown>>, where: string): InstrumentSelector {
  const pairs: [string, string][] = []
  if (typeof value === 'string') {
    if (value.trim() !== 'all') {
      for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
        const eq = part.indexOf('=')
        if (eq <= 0 || eq === part.length - 1) {
          throw new UsageError(`invalid ${where} ${JSON.stringify(value)}: ${JSON.stringify(part)} is not key=value; e.g. quote=USDT,type=spot (keys: ${SELECTOR_KEYS.join(', ')}), or all`)
        }
        pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()])
      }
      if (pairs.length === 0) throw new UsageError(`invalid ${where} ${JSON.stringify(value)}; e.g. quote=USDT,type=spot, or all`)
    }
  } else {
    for (const [key, v] of Object.entries(value)) for (const one of Array.isArray(v) ? v : [v]) pairs.push([key, String(one)])
  }
  const selector: Partial<Record<SelectorKey, string[]>> = {}
  for (const [key, v] of pairs) {
    if (!(SELECTOR_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(`invalid ${where}: unknown key ${JSON.stringify(key)}; valid: ${SELECTOR_KEYS.join(', ')}`)
    }
    if (key === 'type' && !(TYPES as readonly string[]).includes(v)) {
      throw new UsageError(`invalid ${where}: unknown type ${JSON.stringify(v)}; valid: ${TYPES.join(', ')}`)
    }
    ;(selector[key as SelectorKey] ??= []).push(v)
  }
  return selector
}

/** True when `instrument` trades and matches every field of `selector` (assets compared without case). */
export function matchesSelector(instrument: Instrument, selector: InstrumentSelector): boolean {
  if (instrument.trading === false) return false
  return SELECTOR_KEYS.every((key) => {
    const wanted = selector[key]
    const actual = instrument[key]
    if (wanted === undefined) return true
    return actual !== undefined && wanted.some((value) => value.toUpperCase() === actual.toUpperCase())
  })
}

/** Where {@link resolveSelector} asks. */
export interface ResolveSelectorOptions {
  /** The feed's REST base URL override. */
  readonly restUrl?: string
  readonly logger?: Logger
}

/**
 * The symbols of `adapter`'s instruments that match `selector`, sorted (by UTF-16 code units, so
 * every machine sorts alike) and without duplicates. One `instruments()` request.
 *
 * @throws UsageError (exit 2) when the adapter cannot list its instruments, or nothing matches
 * @example await resolveSelector(exchange, { quote: ['USDT'], type: ['spot'] }) // ['1INCHUSDT', 'AAVEUSDT', …]
 */
export async function resolveSelector(adapter: ExchangeAdapter, selector: InstrumentSelector, options: ResolveSelectorOptions = {}): Promise<string[]> {
  if (adapter.instruments === undefined) {
    throw new UsageError(`${adapter.id} cannot list its instruments (the adapter has no instruments()), so its symbols cannot be chosen by ${describeSelector(selector)}; name them instead`)
  }
  let instruments: Instrument[]
  try {
    instruments = await adapter.instruments({
      ...(options.restUrl === undefined ? {} : { restUrl: options.restUrl }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    })
  } catch (error) {
    if (isUsageError(error)) throw error // a bad --rest-url
    throw new Error(`could not list ${adapter.id}'s instruments: ${(error as Error).message}`, { cause: error })
  }
  const symbols = [...new Set(instruments.filter((instrument) => matchesSelector(instrument, selector)).map((instrument) => instrument.symbol))]
  if (symbols.length === 0) {
    throw new UsageError(`no ${adapter.id} instrument matches ${describeSelector(selector)} (of ${instruments.length} listed)`)
  }
  return symbols.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * A feed's selector, if it has one: `--symbols-from` (`flag`), or a mapping given as the config feed's
 * `symbols`. Undefined for a feed that names its symbols.
 *
 * @throws UsageError when symbols are named and `--symbols-from` is given too, or the selector is bad
 */
export function feedSelector(symbols: unknown, flag: unknown, where: string): InstrumentSelector | undefined {
  if (typeof flag === 'string') {
    if (Array.isArray(symbols) && symbols.length > 0) {
      throw new UsageError(`${where}: name symbols or give --symbols-from ${JSON.stringify(flag)}, not both`)
    }
    return parseSelector(flag, '--symbols-from')
  }
  if (symbols !== null && typeof symbols === 'object' && !Array.isArray(symbols)) return parseSelector(symbols as Record<string, unknown>, `${where}.symbols`)
  return undefined
}
