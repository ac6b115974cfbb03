/**
 * Exact time conversions to integer microseconds since the Unix epoch.
 * Fractions are handled as strings: going through a float (or `Date.parse`,
 * which keeps milliseconds only) loses the last digits.
 */
import { InvalidArgumentError } from './errors.js'

// YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})$/

/**
 * Parses an RFC 3339 / ISO-8601 timestamp to integer µs, exactly. Fractions
 * of any length are accepted; digits past the sixth (ns) are truncated.
 *
 * @example isoToMicros('2021-04-17T16:48:53.365913Z') // 1618678133365913
 * @throws InvalidArgumentError when the string is not a timestamp
 */
export function isoToMicros(iso: string): number {
  const m = ISO_PATTERN.exec(iso)
  if (m === null) {
    throw new InvalidArgumentError('timestamp', iso, ['RFC 3339 such as 2021-04-17T16:48:53.365913Z'])
  }
  const seconds =
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000
  const fraction = m[7] === undefined ? 0 : fractionToMicros(m[7])
  return (seconds - zoneOffsetSeconds(m[8]!)) * 1_000_000 + fraction
}

/** `"365913"` → 365913, `"3"` → 300000, `"806315597"` → 806315 (truncates ns). */
function fractionToMicros(fraction: string): number {
  if (fraction.length >= 6) return Number(fraction.slice(0, 6))
  return Number(fraction) * 10 ** (6 - fraction.length)
}

function zoneOffsetSeconds(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0
  const sign = zone[0] === '-' ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60)
}

/**
 * Milliseconds (integer or with a µs fraction, as `performance.timeOrigin + now()`
 * gives) → integer µs. Integer ms convert exactly; fractions round to the nearest µs.
 *
 * @example msToMicros(1633998512068) // 1633998512068000
 */
export function msToMicros(ms: number): number {
  return Number.isInteger(ms) ? ms * 1000 : Math.round(ms * 1000)
}

/**
 * Decimal seconds as a string (`"1618678133.365913"`, Kraken v1 / REST style) → integer µs,
 * exactly; digits past the sixth are truncated.
 */
export function secondsStringToMicros(seconds: string): number {
  const dot = seconds.indexOf('.')
  if (dot === -1) return Number(seconds) * 1_000_000
  const whole = Number(seconds.slice(0, dot))
  const fraction = seconds.slice(dot + 1)
  return whole * 1_000_000 + (fraction.length === 0 ? 0 : fractionToMicros(fraction))
}

/** Integer µs → ISO-8601 string with exactly six fractional digits. */
export function microsToIso(micros: number): string {
  const ms = Math.floor(micros / 1000)
  const iso = new Date(ms).toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ
  const subMs = String(micros - ms * 1000).padStart(3, '0')
  return `${iso.slice(0, 23)}${subMs}Z`
}

const timeOriginMicros = performance.timeOrigin * 1000

/**
 * Current time in integer µs, from the monotonic-plus-origin clock so that
 * successive calls never go backwards within one process.
 */
export function nowMicros(): number {
  return Math.floor(timeOriginMicros + performance.now() * 1000)
}
