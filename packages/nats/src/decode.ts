/**
 * One stream message → one `MarketEvent`, checked against its subject. The
 * publisher writes the event as JSON on `<prefix>.<exchange>.<type>.<symbol>`
 * (subject.ts), so a message whose body is not JSON, is not an event, or
 * names another exchange, type or symbol than its subject was not written by
 * dccd (or was damaged): it is rejected whole, with the reason. The check is
 * minimal on purpose: the recorder validates every column when it seals, and
 * sets aside a line its column cannot hold.
 */
import type { MarketEvent } from '@dccd/core'
import { DEFAULT_SUBJECT_PREFIX, parseSubject } from './subject.js'

const EVENT_TYPES: ReadonlySet<string> = new Set(['trade', 'book', 'bar', 'quote', 'derivative', 'liquidation', 'status'])

/** What {@link decodeEvent} made of a message: the event, or why there is none. */
export type Decoded = { ok: true; event: MarketEvent } | { ok: false; reason: string }

/**
 * Decodes the body of a message published on `subject`.
 *
 * @example decodeEvent('dccd.binance.trade.BTCUSDT', bytes) // { ok: true, event: { type: 'trade', … } }
 */
export function decodeEvent(subject: string, data: Uint8Array, prefix = DEFAULT_SUBJECT_PREFIX): Decoded {
  let named: ReturnType<typeof parseSubject>
  try {
    named = parseSubject(subject, prefix)
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data))
  } catch (error) {
    return { ok: false, reason: `body is not JSON (${(error as Error).message})` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'body is not a JSON object' }
  const event = value as Record<string, unknown>
  if (typeof event.type !== 'string' || !EVENT_TYPES.has(event.type)) return { ok: false, reason: `type ${JSON.stringify(event.type)} is not an event type` }
  if (event.type !== named.type) return { ok: false, reason: `type ${JSON.stringify(event.type)} is not the subject's ${JSON.stringify(named.type)}` }
  if (event.exchange !== named.exchange) return { ok: false, reason: `exchange ${JSON.stringify(event.exchange)} is not the subject's ${JSON.stringify(named.exchange)}` }
  const symbol = event.symbol ?? undefined
  if (symbol !== named.symbol) return { ok: false, reason: `symbol ${JSON.stringify(symbol)} is not the subject's ${JSON.stringify(named.symbol)}` }
  // A status event has only its receive time.
  for (const field of event.type === 'status' ? (['localTimestamp'] as const) : (['timestamp', 'localTimestamp'] as const)) {
    if (!Number.isSafeInteger(event[field])) return { ok: false, reason: `${field} ${JSON.stringify(event[field])} is not integer µs` }
  }
  return { ok: true, event: value as MarketEvent }
}
