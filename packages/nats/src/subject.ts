/**
 * Subjects of the stream: `dccd.<exchange>.<type>.<symbol>`. A NATS subject
 * token may not hold `.`, `*`, `>` or whitespace, and symbols do (`BTC/USD`
 * is fine, `BTC.USD` or `ETH USDT` are not), so each token is escaped
 * reversibly: letters, digits, `-` and `_` stay, every other UTF-16 code unit
 * becomes `~` and four hex digits (`/` → `~002f`). `~` itself is escaped, so
 * decoding is exact, and a wildcard subscription (`dccd.binance.trade.>`)
 * still selects by exchange and type.
 * https://docs.nats.io/nats-concepts/subjects#characters-allowed-and-recommended-for-subject-names
 */
import type { MarketEvent } from '@dccd/core'

/** Default first token of every subject. */
export const DEFAULT_SUBJECT_PREFIX = 'dccd'

const PLAIN = /^[A-Za-z0-9_-]+$/
/** The symbol token of an event without a symbol (a feed-wide status): no string encodes to it. */
const NO_SYMBOL = '~'

/**
 * One subject token for any string (a symbol, an exchange id): reversible with {@link decodeToken}.
 *
 * @example encodeToken('BTC/USD') === 'BTC~002fUSD'
 */
export function encodeToken(text: string): string {
  if (PLAIN.test(text)) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    out += /[A-Za-z0-9_-]/.test(ch) ? ch : `~${text.charCodeAt(i).toString(16).padStart(4, '0')}`
  }
  return out
}

/**
 * The string {@link encodeToken} made `token` from.
 *
 * @throws TypeError for a token no string encodes to (a bad escape, a forbidden character)
 */
export function decodeToken(token: string): string {
  if (PLAIN.test(token)) return token
  let out = ''
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!
    if (ch !== '~') {
      if (!/[A-Za-z0-9_-]/.test(ch)) throw new TypeError(`subject token ${JSON.stringify(token)} holds ${JSON.stringify(ch)}`)
      out += ch
      continue
    }
    const hex = token.slice(i + 1, i + 5)
    if (!/^[0-9a-f]{4}$/.test(hex)) throw new TypeError(`subject token ${JSON.stringify(token)} has a bad escape at ${i}`)
    out += String.fromCharCode(Number.parseInt(hex, 16))
    i += 4
  }
  return out
}

/** The subject an event is published on: `<prefix>.<exchange>.<type>.<symbol>` (`~`, which no symbol encodes to, for an event without one). */
export function subjectOf(event: MarketEvent, prefix = DEFAULT_SUBJECT_PREFIX): string {
  const symbol = 'symbol' in event && event.symbol !== undefined ? encodeToken(event.symbol) : NO_SYMBOL
  return `${prefix}.${encodeToken(event.exchange)}.${event.type}.${symbol}`
}

/** What a subject names: the exchange, the event type and the symbol (undefined for `~`). */
export function parseSubject(subject: string, prefix = DEFAULT_SUBJECT_PREFIX): { exchange: string; type: string; symbol: string | undefined } {
  // The prefix may itself hold dots (`acme.dccd`): the three tokens after it are ours.
  const parts = subject.startsWith(`${prefix}.`) ? subject.slice(prefix.length + 1).split('.') : []
  if (parts.length !== 3) throw new TypeError(`subject ${JSON.stringify(subject)} is not ${prefix}.<exchange>.<type>.<symbol>`)
  parts.unshift(prefix)
  return { exchange: decodeToken(parts[1]!), type: parts[2]!, symbol: parts[3] === NO_SYMBOL ? undefined : decodeToken(parts[3]!) }
}
