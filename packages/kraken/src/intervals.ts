/**
 * Bar intervals: dccd names ↔ Kraken `ohlc` minutes (protocols §2.7, the
 * only values Kraken accepts).
 */
const MINUTES: Readonly<Record<string, number>> = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '4h': 240,
  '1d': 1440,
  '1w': 10080,
  '15d': 21600,
}

/** Every interval name Kraken offers, shortest first. */
export const BAR_INTERVALS: readonly string[] = Object.keys(MINUTES)

const NAMES = new Map<number, string>(Object.entries(MINUTES).map(([name, minutes]) => [minutes, name]))

/** `'1h'` → 60; `undefined` for an interval Kraken does not offer. */
export function intervalToMinutes(interval: string): number | undefined {
  return Object.hasOwn(MINUTES, interval) ? MINUTES[interval] : undefined
}

/** 60 → `'1h'`; `undefined` for a minute count Kraken does not use. */
export function minutesToInterval(minutes: number): string | undefined {
  return NAMES.get(minutes)
}
