# @dccd/__ID__

__NAME__ market data for dccd: normalized trades and sequence-checked L2 order books.

```sh
pnpm add @dccd/__ID__
```

```ts
import { exchange } from '@dccd/__ID__'

const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
let seen = 0
for await (const event of feed.stream()) {
  if (event.type !== 'trade') continue
  console.log(event.symbol, event.side, event.price, event.amount)
  if (++seen === 5) await feed.stop()
}
```

(The same code is `examples/trades.ts`, which the type check covers.)

| channel | exchange stream | events |
| --- | --- | --- |
| `trades` | TODO | `trade`, `status: 'gap'` |
| `book` | TODO | `book` (a snapshot, then proven updates), `status: 'resync'` |

## Rules the adapter enforces

- **Book:** a snapshot first, then only updates whose `prevSeqId` is the last `seqId`; on any break a
  `resync` for that symbol, updates ignored until a fresh snapshot, and the symbol's book resubscribed.
  TODO(new adapter): the exchange's rule and the link to where it is documented.
- **Trades:** ids are consecutive per symbol, so every trade is checked against the one before it; a hole
  is fetched from `GET /api/trades` (`recoverTrades`, `maxRecoveredTrades`) or reported as one `gap`.
- **Only what was asked for:** events of symbols or channels not subscribed are parse errors; exchange times
  must be plausible; prices and sizes must be unsigned decimal strings.

## Errors

| error | code | when |
| --- | --- | --- |
| `InvalidArgumentError` | `DCCD_INVALID_ARGUMENT` | `createFeed`: a malformed symbol, an unknown channel, a bad option; the stream rejects with it for an unlisted symbol |
| `RequestError` | `DCCD_REQUEST_FAILED` | the symbol list could not be fetched after retries |

See [CONTRIBUTING.md](../../CONTRIBUTING.md) for how adapters are built and tested.
