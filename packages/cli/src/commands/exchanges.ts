/** `dccd exchanges`: the installed adapters, what they offer and, for derivatives markets, what their numbers count. */
import type { MarketDescription } from '@dccd/core'
import type { DiscoveryOptions } from '../discovery.js'
import { discoverAdapters } from '../discovery.js'
import type { Io } from '../io.js'
import { formatTable } from '../read/table.js'

const COLUMNS = ['id', 'name', 'channels', 'barIntervals', 'instruments', 'amount', 'example', 'package']

/** The fields of a market description, copied so that nothing else an adapter attached ends up in the JSON. */
function marketOf(market: MarketDescription): MarketDescription {
  const { instrumentTypes, amountUnit, openInterestUnit, note } = market
  return { instrumentTypes: [...instrumentTypes], amountUnit, ...(openInterestUnit === undefined ? {} : { openInterestUnit }), note }
}

/**
 * Lists adapters as a table (or JSON with `json`); resolves the exit code.
 * An adapter with a market description (instrument types, the unit of
 * `amount`) shows it, and its note follows the table. One without leaves
 * those cells empty and has no `market` in the JSON: the adapter did not say
 * (core reads the absence as spot, base units).
 */
export async function runExchanges(options: { json?: boolean; discovery?: DiscoveryOptions }, io: Io): Promise<number> {
  const found = await discoverAdapters(options.discovery)
  const entries = found.map(({ adapter, packageName }) => ({
    id: adapter.id,
    name: adapter.name,
    channels: adapter.channels.join(','),
    barIntervals: adapter.barIntervals.join(','),
    example: adapter.exampleSymbol ?? '',
    package: packageName,
    ...(adapter.market === undefined ? {} : { market: marketOf(adapter.market) }),
  }))
  if (options.json) {
    io.out(`${JSON.stringify(entries, null, 2)}\n`)
    return 0
  }
  if (entries.length === 0) {
    io.err('dccd: no exchange adapters installed; install one, e.g. npm i @dccd/binance\n')
    return 0
  }
  const rows = entries.map(({ market, ...entry }) => ({
    ...entry,
    instruments: market?.instrumentTypes.join(',') ?? '',
    amount: market?.amountUnit ?? '',
  }))
  const notes = entries.flatMap((entry) => (entry.market === undefined ? [] : [`${entry.id}: ${entry.market.note}`]))
  io.out(`${formatTable(COLUMNS, rows, new Set())}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`)
  return 0
}
