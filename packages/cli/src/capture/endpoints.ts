/**
 * Which real exchange `dccd capture` forwards to. `--ws-url` / `--rest-url`
 * win; otherwise the production endpoints the adapter's descriptor publishes
 * (core's `ExchangeAdapter.endpoints`, base URLs). The CLI keeps no list of
 * its own (an adapter needs no edit anywhere else), so for an adapter that
 * publishes none both flags are needed.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { UsageError } from '../errors.js'

/** The real WebSocket and REST base URLs a capture talks to. */
export interface Endpoints {
  readonly wsUrl: string
  readonly restUrl: string
}

/** The production endpoints an adapter's descriptor publishes, if it does. */
export function publishedEndpoints(adapter: ExchangeAdapter): Partial<Endpoints> {
  // Checked rather than trusted: a descriptor from another package version may carry anything.
  const endpoints: unknown = adapter.endpoints
  if (endpoints === null || typeof endpoints !== 'object') return {}
  const { wsUrl, restUrl } = endpoints as Record<string, unknown>
  return { ...(typeof wsUrl === 'string' ? { wsUrl } : {}), ...(typeof restUrl === 'string' ? { restUrl } : {}) }
}

/**
 * The flags, else what the adapter publishes.
 *
 * @throws UsageError naming the missing flag when neither gives a URL
 */
export function captureEndpoints(adapter: ExchangeAdapter, flags: Partial<Endpoints>): Endpoints {
  const published = publishedEndpoints(adapter)
  const wsUrl = flags.wsUrl ?? published.wsUrl
  const restUrl = flags.restUrl ?? published.restUrl
  const missing = [wsUrl === undefined ? '--ws-url' : undefined, restUrl === undefined ? '--rest-url' : undefined].filter((flag) => flag !== undefined)
  if (missing.length > 0) {
    throw new UsageError(
      `the ${adapter.id} adapter does not publish its production endpoints; give the real base URLs with ${missing.join(' and ')} ` +
        `(see the @dccd/${adapter.id.split('-')[0]} README, e.g. --ws-url wss://… --rest-url https://…)`,
    )
  }
  return { wsUrl: wsUrl!, restUrl: restUrl! }
}
