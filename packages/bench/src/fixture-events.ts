/**
 * Prints what each adapter's public feed yields for every committed fixture,
 * one JSON line per event, with the receive-time fields removed, so two trees
 * can be compared byte for byte (a redesign must not change a single event):
 *
 *   pnpm --filter @dccd/bench fixture-events > after.txt      # in each tree
 *   diff before.txt after.txt
 *
 * Removed because they are read from the local clock, not the capture:
 * `localTimestamp`, a status event's `timestamp`, and a Binance REST depth
 * snapshot's `timestamp` (the REST body carries no exchange time).
 */
import { fileURLToPath } from 'node:url'
import type { Feed, MarketEvent } from '@dccd/core'
import { exchange as binance } from '@dccd/binance'
import { exchange as kraken } from '@dccd/kraken'
import { FakeExchange, loadSession } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'

/** Quiet time after the replay's last frame before the feed is considered drained. */
const DRAIN_MS = 1500

function fixture(pkg: string, file: string): string {
  return fileURLToPath(new URL(`../../${pkg}/test/fixtures/${file}`, import.meta.url))
}

function withoutClockFields(event: MarketEvent): Record<string, unknown> {
  const { localTimestamp: _local, ...rest } = event as MarketEvent & Record<string, unknown>
  const fromClock = rest.type === 'status' || (rest.exchange === 'binance' && rest.type === 'book' && rest.isSnapshot === true)
  if (fromClock) delete rest.timestamp
  return rest
}

async function replayThrough(name: string, file: string, create: (fx: FakeExchange) => Feed): Promise<void> {
  const fx = await FakeExchange.start()
  const session = loadSession(file)
  const replay = fx.replay(session)
  fx.restFromSession(session)
  let replayed = false
  fx.onConnection((connection: FakeConnection) => void replay.finished(connection).then(() => (replayed = true)))
  const feed = create(fx)
  const events = feed.stream()[Symbol.asyncIterator]()
  const lines: string[] = []
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined
    const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), DRAIN_MS)))
    const next = await Promise.race([events.next(), quiet])
    clearTimeout(timer)
    if (next === 'quiet') {
      if (replayed) break
      continue
    }
    if (next.done === true) break
    lines.push(`${name}\t${JSON.stringify(withoutClockFields(next.value))}`)
  }
  await feed.stop()
  await fx.close()
  process.stdout.write(`${lines.join('\n')}\n`)
}

await replayThrough('binance-spot', fixture('binance', 'spot-2021-10-12.replay.jsonl'), (fx) =>
  binance.createFeed({
    symbols: ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR'],
    channels: ['trades', 'book', 'bars:1m'],
    wsUrl: fx.wsUrl,
    restUrl: fx.restUrl,
  }),
)
for (const [name, file, bookDepth] of [
  ['kraken-v2', 'v2-2021-04-17.jsonl', 1000],
  ['kraken-depth10', 'v2-2021-04-17.depth10.jsonl', 10],
] as const) {
  await replayThrough(name, fixture('kraken', file), (fx) =>
    kraken.createFeed({
      symbols: ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH'],
      channels: ['trades', 'book'],
      bookDepth,
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
    }),
  )
}
