/**
 * The lines `dccd watch` draws, under its header, for a feed that carries
 * derivative state or quotes:
 *
 * ```
 * mark 64010.1  index 64008.75  funding 0.0100%  next 08:00:00Z in 6h59m
 * open interest 81234.5 contracts
 * best bid 64012.4 × 1.25  ask 64012.5 × 0.003  spread 0.1
 * ```
 *
 * A line appears with the first message of its channel, so a spot feed
 * looks as before. Mark, index and funding keep their places with `–` until
 * a message carries them (they come in separate messages); open interest,
 * which many streams never send, gets its own line once it is known, so the
 * first line fits 80 columns.
 */
import { microsToIso } from '@dccd/core'
import type { QuoteEvent } from '@dccd/core'
import { formatQuietTime } from '../record/market-idle.js'
import type { DerivativeState } from './derivative-state.js'
import { spreadOf } from './spread.js'

/** What the lines need besides the state. */
export interface MarketStateLineOptions {
  /** The current time, µs: with it the next funding shows how far off it is. */
  readonly now?: number
  /** Unit of open interest (`contracts`, `base`), from the adapter's market description. */
  readonly openInterestUnit?: string
}

/** Shortest exact text of a number, `–` when unknown. */
function value(number: number | undefined): string {
  return number === undefined ? '–' : String(number)
}

/** A funding rate (a fraction) as a percentage with four decimals, as venues show it: 0.0001 → `0.0100%`. */
export function formatFundingRate(rate: number): string {
  return `${(rate * 100).toFixed(4)}%`
}

/** `next 08:00:00Z in 6h59m`; `due` once the time has come (the venue sends the next time shortly after). */
function nextFunding(fundingTime: number, now: number | undefined): string {
  const at = `next ${microsToIso(fundingTime).slice(11, 19)}Z`
  if (now === undefined) return at
  return fundingTime > now ? `${at} in ${formatQuietTime((fundingTime - now) / 1000)}` : `${at} due`
}

function derivativeLines(state: DerivativeState, options: MarketStateLineOptions): string[] {
  const parts = [`mark ${value(state.markPrice)}`, `index ${value(state.indexPrice)}`]
  parts.push(`funding ${state.fundingRate === undefined ? '–' : formatFundingRate(state.fundingRate)}`)
  if (state.fundingTime !== undefined) parts.push(nextFunding(state.fundingTime, options.now))
  const lines = [parts.join('  ')]
  if (state.openInterest !== undefined) {
    lines.push(`open interest ${state.openInterest}${options.openInterestUnit === undefined ? '' : ` ${options.openInterestUnit}`}`)
  }
  return lines
}

function quoteLine(quote: QuoteEvent): string {
  return `best bid ${quote.bidPrice} × ${quote.bidAmount}  ask ${quote.askPrice} × ${quote.askAmount}  spread ${spreadOf(quote.bidPrice, quote.askPrice)}`
}

/**
 * The derivative lines and the best bid/offer line, each once its channel has sent something.
 *
 * @example marketStateLines({ derivative: { markPrice: 100.4, fundingRate: 0.0001, timestamp: t } }) // ['mark 100.4  index –  funding 0.0100%']
 */
export function marketStateLines(state: { readonly derivative?: DerivativeState; readonly quote?: QuoteEvent }, options: MarketStateLineOptions = {}): string[] {
  return [
    ...(state.derivative === undefined ? [] : derivativeLines(state.derivative, options)),
    ...(state.quote === undefined ? [] : [quoteLine(state.quote)]),
  ]
}
