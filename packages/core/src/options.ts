/**
 * Readers for option values, shared by every adapter and the transport so an
 * option is checked, and its error worded, the same way everywhere. Each
 * returns the fallback for `undefined` and throws `InvalidArgumentError`
 * naming the option (`option bookDepth`) and the valid values otherwise.
 */
import { InvalidArgumentError } from './errors.js'

/**
 * `true` or `false`.
 *
 * @example booleanOption('recoverTrades', options.recoverTrades, true)
 */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`option ${name}`, value, ['true', 'false'])
  return value
}

/**
 * An integer from `min` to `max` (inclusive; `max` may be `Infinity`).
 *
 * @example integerOption('snapshotConcurrency', options.snapshotConcurrency, 10, { min: 1, max: 1000 })
 */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  range: { readonly min: number; readonly max?: number; readonly meaning?: string },
): number {
  if (value === undefined) return fallback
  const max = range.max ?? Number.MAX_SAFE_INTEGER
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${range.min}` : `an integer from ${range.min} to ${max}`
    throw new InvalidArgumentError(`option ${name}`, value, [range.meaning === undefined ? bounds : `${bounds} (${range.meaning})`])
  }
  return value
}

/**
 * A number accepted by `valid` (NaN never is); `description` says which, e.g. `'a number > 0'`.
 *
 * @example numberOption('jitter', options.jitter, 0.5, (n) => n >= 0 && n <= 1, 'a number from 0 to 1')
 */
export function numberOption(name: string, value: unknown, fallback: number, valid: (n: number) => boolean, description: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || !valid(value)) {
    throw new InvalidArgumentError(`option ${name}`, value, [description])
  }
  return value
}

/**
 * A base URL with one of `protocols` (`['ws:', 'wss:']`), returned without a
 * trailing slash. Adapters append their own paths, so a query or a path that
 * already names an endpoint (`/ws`, `/stream`, `/api`, `/v2`…, given in
 * `endpointPaths`) is rejected: the result could not work. A path prefix (a
 * proxy) is fine.
 *
 * @example urlOption('wsUrl', options.wsUrl, 'wss://stream.binance.com:9443', ['ws:', 'wss:'])
 */
export function urlOption(
  name: string,
  value: unknown,
  fallback: string,
  protocols: readonly string[],
  endpointPaths: readonly string[] = [],
): string {
  if (value === undefined) return fallback
  let url: URL | undefined
  try {
    url = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (url === undefined || !protocols.includes(url.protocol)) {
    throw new InvalidArgumentError(`option ${name}`, value, [`a ${protocols.map((p) => `${p}//`).join(' or ')} base URL`])
  }
  const segments = url.pathname.split('/')
  if (url.search !== '' || url.hash !== '' || segments.some((segment) => endpointPaths.includes(segment))) {
    throw new InvalidArgumentError(`option ${name}`, value, [
      `a base URL without query${endpointPaths.length > 0 ? ` or endpoint path (${endpointPaths.map((p) => `/${p}`).join(', ')}: the adapter appends it)` : ''}`,
    ])
  }
  return (value as string).replace(/\/+$/, '')
}
