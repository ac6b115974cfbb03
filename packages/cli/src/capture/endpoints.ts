/**
 * Which real exchange `dccd capture` forwards to. `--ws-url` / `--rest-url`
 * win; otherwise the adapter's production endpoints, where its descriptor
 * publishes them as `endpoints: { wsUrl, restUrl }` (base URLs). No adapter
 * in this repository does yet, and the CLI keeps no list of its own (an
 * adapter needs no edit anywhere else), so until then both flags are needed.
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
  const endpoints = (adapter as { endpoints?: unknown }).endpoints
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
