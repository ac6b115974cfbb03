/**
 * Every Binance market this package streams, for tools that list adapters
 * (the CLI finds `binance-futures` and `binance-delivery` here).
 */
import type { ExchangeAdapter } from '@dccd/core'
import { exchange } from './exchange.js'
import { delivery, futures } from './futures/exchange.js'

/**
 * Binance spot (`binance`), USDⓈ-M futures (`binance-futures`) and COIN-M futures (`binance-delivery`).
 *
 * @example
 * import { exchanges } from '@dccd/binance'
 * for (const adapter of exchanges) console.log(adapter.id, adapter.channels.join(' '))
 */
export const exchanges: readonly ExchangeAdapter[] = [exchange, futures, delivery] as readonly ExchangeAdapter[]
