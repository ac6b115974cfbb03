/**
 * Reads a whole JetStream stream back in stream order (an ordered consumer): what tests check the sink against.
 */
import type { MarketEvent } from '@dccd/core'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'

/** One stored message: its subject, its `Nats-Msg-Id` and the event it carries. */
export interface StoredMessage {
  readonly subject: string
  readonly msgId: string | undefined
  readonly event: MarketEvent
}

/** Every message of `stream` on the server at `url`, in stream order. */
export async function streamContents(url: string, stream: string): Promise<StoredMessage[]> {
  const nc = await connect({ servers: url })
  try {
    const total = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages
    const consumer = await jetstream(nc).consumers.get(stream)
    const out: StoredMessage[] = []
    while (out.length < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(1000, total - out.length), expires: 5000 })
      for await (const message of batch) {
        out.push({ subject: message.subject, msgId: message.headers?.get('Nats-Msg-Id'), event: message.json<MarketEvent>() })
      }
    }
    return out
  } finally {
    await nc.close()
  }
}

/** Trades of `exchange` on `symbol` with ids `from`..`to`, one second apart from 2026-01-01. */
export function trades(symbol: string, from: number, to: number, exchange = 'fakex'): MarketEvent[] {
  const out: MarketEvent[] = []
  for (let id = from; id <= to; id++) {
    const timestamp = Date.UTC(2026, 0, 1) * 1000 + id * 1_000_000
    out.push({ type: 'trade', exchange, symbol, id: String(id), price: 100 + (id % 7), amount: 0.5, side: id % 2 === 0 ? 'buy' : 'sell', timestamp, localTimestamp: timestamp + 1000 })
  }
  return out
}

/** Resolves once `condition()` holds (the sink's state changes on socket events: checked on each turn of the loop). */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Messages in `stream` now (-1 before it exists). */
export async function messageCount(url: string, stream: string): Promise<number> {
  try {
    const nc = await connect({ servers: url })
    try {
      return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages
    } finally {
      await nc.close()
    }
  } catch {
    return -1
  }
}
