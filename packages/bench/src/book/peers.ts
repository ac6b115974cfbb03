/**
 * The peer libraries' order books. tardis-dev exports its `OrderBook`;
 * ccxt (4.5.x) does not export its websocket order book from the package
 * entry and its `exports` map hides the file, so it is loaded by path next
 * to the resolved entry (`js/ccxt.js` → `js/src/base/ws/OrderBook.js`). It is
 * the class `Exchange.prototype.orderBook()` instantiates for every ccxt
 * exchange's `watchOrderBook`; importing it alone avoids loading all of ccxt.
 */
import { OrderBook as TardisOrderBook } from 'tardis-dev'

export { TardisOrderBook }

/** One side of ccxt's ws book: an Array of `[price, amount]`, best first. */
export interface CcxtSide extends Array<[number, number]> {
  store(price: number, amount: number): void
}

/** The subset of ccxt's ws `OrderBook` the bench uses. */
export interface CcxtBook {
  readonly bids: CcxtSide
  readonly asks: CcxtSide
  reset(snapshot: { bids: [number, number][]; asks: [number, number][] }): CcxtBook
}

/** Loads ccxt's ws `OrderBook` class from the installed package. */
export async function loadCcxtOrderBook(): Promise<new () => CcxtBook> {
  const entry = import.meta.resolve('ccxt')
  const module = (await import(new URL('./src/base/ws/OrderBook.js', entry).href)) as { OrderBook: new () => CcxtBook }
  return module.OrderBook
}
