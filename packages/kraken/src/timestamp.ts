/**
 * RFC 3339 → µs for Kraken's timestamps, reusing the previous one's second.
 * Core's `isoToMicros` already reads Kraken's layout without a RegExp and
 * converts the date once per day; a book message still pays for the time of
 * day on every entry (0.12–0.16 µs per frame end to end, BENCHMARKS.md, "End
 * to end"). Consecutive entries mostly fall in the same second, so the whole
 * seconds of the last timestamp read in the layout `YYYY-MM-DDTHH:MM:SS.f…Z`
 * are kept, and a timestamp sharing its first 20 characters reads only its
 * fraction, with core's rules: 1 to 9 digits, the first 6 kept (truncated).
 * Anything else goes through `isoToMicros`, which decides and throws.
 */
import { isoToMicros } from '@dccd/core'

/** Where the fraction starts: after `YYYY-MM-DDTHH:MM:SS.`. */
const PREFIX = 20
/** Whole-second scales of a fraction of 1–6 digits: `3` → ×100000 (as core's). */
const FRACTION_SCALE = [0, 100_000, 10_000, 1_000, 100, 10, 1]

// Module state is safe: conversion is synchronous, and a stale entry only costs a full read.
let cachedIso = ''
let cachedSecondMicros = 0

/**
 * Same result as core's `isoToMicros` (to the bit), cheaper for a run of
 * timestamps within one second.
 *
 * @throws InvalidArgumentError when the string is not a timestamp (from `isoToMicros`)
 */
export function timestampToMicros(iso: string): number {
  if (typeof iso === 'string' && sharesSecond(iso, cachedIso)) {
    const fraction = fractionMicros(iso)
    if (fraction >= 0) return cachedSecondMicros + fraction
  }
  const micros = isoToMicros(iso)
  // Kept only in the layout whose first 20 characters fix the second (no zone offset after the fraction).
  if (iso.length > PREFIX + 1 && iso.charCodeAt(PREFIX - 1) === 46 /* . */) {
    const fraction = fractionMicros(iso)
    if (fraction >= 0) {
      cachedIso = iso
      cachedSecondMicros = micros - fraction
    }
  }
  return micros
}

/** Same first 20 characters (from the seconds backwards: they differ first). */
function sharesSecond(iso: string, cached: string): boolean {
  if (cached.length === 0 || iso.length <= PREFIX + 1) return false
  for (let i = PREFIX - 1; i >= 0; i--) if (iso.charCodeAt(i) !== cached.charCodeAt(i)) return false
  return true
}

/** µs of the fraction of `….f{1,9}Z` (first 6 digits, truncated), or -1 for any other ending. */
function fractionMicros(iso: string): number {
  const n = iso.length
  if (n > PREFIX + 10 || iso.charCodeAt(n - 1) !== 90 /* Z */) return -1
  let fraction = 0
  for (let i = PREFIX; i < n - 1; i++) {
    const d = iso.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    if (i < PREFIX + 6) fraction = fraction * 10 + d
  }
  const digits = n - 1 - PREFIX
  return digits < 6 ? fraction * FRACTION_SCALE[digits]! : fraction
}
