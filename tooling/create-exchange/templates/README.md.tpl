# @dccd/__ID__

__NAME__ market data for dccd: normalized trades (more channels to come).

```sh
pnpm add @dccd/__ID__
```

```ts
import { exchange } from '@dccd/__ID__'

const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'] })
let seen = 0
for await (const event of feed.stream()) {
  if (event.type !== 'trade') continue
  console.log(event.symbol, event.side, event.price, event.amount)
  if (++seen === 5) await feed.stop()
}
```

| channel | exchange stream | event |
| --- | --- | --- |
| `trades` | TODO | `trade` |

Errors: `InvalidArgumentError` (`DCCD_INVALID_ARGUMENT`) for a malformed
symbol or an unknown channel, before connecting.

See [CONTRIBUTING.md](../../CONTRIBUTING.md) for how adapters are built and tested.
