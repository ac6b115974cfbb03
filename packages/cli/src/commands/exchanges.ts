/** `dccd exchanges`: the installed adapters and what they offer. */
import type { DiscoveryOptions } from '../discovery.js'
import { discoverAdapters } from '../discovery.js'
import type { Io } from '../io.js'
import { formatTable } from '../read/table.js'

/** Lists adapters as a table (or JSON with `json`); resolves the exit code. */
export async function runExchanges(options: { json?: boolean; discovery?: DiscoveryOptions }, io: Io): Promise<number> {
  const found = await discoverAdapters(options.discovery)
  const rows = found.map(({ adapter, packageName }) => ({
    id: adapter.id,
    name: adapter.name,
    channels: adapter.channels.join(','),
    barIntervals: adapter.barIntervals.join(','),
    example: adapter.exampleSymbol ?? '',
    package: packageName,
  }))
  if (options.json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`)
  } else if (rows.length === 0) {
    io.err('dccd: no exchange adapters installed; install one, e.g. npm i @dccd/binance\n')
  } else {
    io.out(`${formatTable(['id', 'name', 'channels', 'barIntervals', 'example', 'package'], rows, new Set())}\n`)
  }
  return 0
}
