/**
 * Binance spot as a {@link BinanceMarket}: `stream.binance.com`,
 * `api.binance.com/api/v3`, `@trade` ids, per-symbol consecutive depth ids.
 * See https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 */
import {
  CAPABILITIES,
  CONNECTION_ATTEMPT_WINDOW_MS,
  ENDPOINT_PATHS,
  MAX_CONNECTION_AGE_MS,
  MAX_CONNECTION_ATTEMPTS,
  MAX_CONTROL_MESSAGES_PER_SECOND,
  MAX_STREAMS_PER_CONNECTION,
  PRODUCTION_REST_URL,
  PRODUCTION_WS_URL,
  SYMBOL_FORMAT,
  SYMBOL_FORMAT_DESCRIPTION,
  TESTNET_REST_URL,
  TESTNET_WS_URL,
} from './capabilities.js'
import { SPOT_DEPTH_CONTINUITY } from './depth-continuity.js'
import type { BinanceMarket } from './market.js'
import { SPOT_DIALECT } from './parse.js'
import { SPOT_REST } from './rest.js'

/** Binance spot. */
export const SPOT_MARKET: BinanceMarket = {
  ...CAPABILITIES,
  symbolFormat: SYMBOL_FORMAT,
  symbolFormatDescription: SYMBOL_FORMAT_DESCRIPTION,
  production: { wsUrl: PRODUCTION_WS_URL, restUrl: PRODUCTION_REST_URL },
  testnet: { wsUrl: TESTNET_WS_URL, restUrl: TESTNET_REST_URL },
  endpointPaths: ENDPOINT_PATHS,
  streams: { trades: '@trade', book: '@depth@100ms' },
  limits: {
    maxStreamsPerConnection: MAX_STREAMS_PER_CONNECTION,
    controlMessagesPerSecond: MAX_CONTROL_MESSAGES_PER_SECOND,
    connectionAttempts: { max: MAX_CONNECTION_ATTEMPTS, windowMs: CONNECTION_ATTEMPT_WINDOW_MS },
    maxConnectionAgeMs: MAX_CONNECTION_AGE_MS,
  },
  dialect: SPOT_DIALECT,
  depthContinuity: SPOT_DEPTH_CONTINUITY,
  rest: SPOT_REST,
}
