// The README's example class, kept here so the typecheck and a test cover it.
import { WebSocketBase } from '../../src/index.js'
import type { Connection } from '../../src/index.js'

/** Streams Binance trades for one symbol as plain objects. */
export class TradeTicker extends WebSocketBase<{ price: number; qty: number }> {
  protected override async onConnect(connection: Connection): Promise<void> {
    await connection.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 })
  }
  protected parseMessage(raw: string) {
    const m = JSON.parse(raw) as { e?: string; p: string; q: string }
    return m.e === 'trade' ? [{ price: Number(m.p), qty: Number(m.q) }] : undefined
  }
}
