/**
 * Kraken's REST answers carry errors in a 200 body (`{"error":["EAPI:Rate limit exceeded"]}`,
 * https://docs.kraken.com/api/docs/guides/spot-rest-intro). Throttling and
 * service errors mean "try again later", so the shared {@link RestClient}
 * retries them with its backoff, as it retries a 429; any other error fails the
 * request as an {@link ExchangeError} with Kraken's code.
 */
import { ExchangeError } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import type { RestClientOptions } from '@dccd/transport'

/** Errors Kraken clears by itself: throttling, maintenance, load. */
const RETRYABLE = /^E(General:Too many requests|API:Rate limit exceeded|Service:(Unavailable|Busy|Deadline elapsed)|General:Internal error)/

/** The `checkBody` of every Kraken REST client. */
export function checkKrakenBody(body: unknown): { retry: string } | Error | undefined {
  const errors = (body as { error?: unknown } | null)?.error
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  const first = String(errors[0])
  if (RETRYABLE.test(first)) return { retry: `Kraken: ${first}` }
  return new ExchangeError('kraken', first, errors.join('; '))
}

/** A REST client for Kraken's public endpoints under `baseUrl`. */
export function krakenRestClient(
  baseUrl: string,
  logger: Logger,
  extra: Pick<RestClientOptions, 'rateLimit' | 'initialBackoffMs'> = {},
): RestClient {
  return new RestClient({ baseUrl, exchange: 'kraken', logger, checkBody: checkKrakenBody, ...extra })
}
