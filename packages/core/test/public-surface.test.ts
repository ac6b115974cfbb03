import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as core from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/core', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(core).sort()).toEqual([
      'ChecksumMismatchError',
      'DccdError',
      'EARLIEST_EXCHANGE_TIME',
      'ExchangeError',
      'FeedStoppedError',
      'FileCheckpointStore',
      'InvalidArgumentError',
      'MAX_EXCHANGE_TIME_AHEAD',
      'MemoryCheckpointStore',
      'NoCapabilityError',
      'OrderBook',
      'OrderBookSet',
      'RequestError',
      'SequenceGapError',
      'Subscriptions',
      'TradeContinuity',
      'booleanOption',
      'checkSymbolFormat',
      'checkSymbolsListed',
      'consoleLogger',
      'decimalToNumber',
      'errorMessage',
      'hasErrorCode',
      'integerOption',
      'isPlausibleExchangeTime',
      'isoToMicros',
      'microsToIso',
      'msToMicros',
      'nowMicros',
      'numberOption',
      'parseChannels',
      'secondsStringToMicros',
      'silentLogger',
      'statusEvent',
      'tradeGapEvent',
      'urlOption',
      'validChannelNames',
      'withBooks',
    ])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').map((name) => name.trim()).filter(Boolean),
    )
    expect(names.sort()).toEqual([
      'BarEvent',
      'BookEvent',
      'BookLevel',
      'BookSideName',
      'BookUpdate',
      'Channel',
      'ChannelKind',
      'CheckpointStore',
      'CheckpointValue',
      'ConnectionOptions',
      'DccdErrorCode',
      'EventWithBook',
      'ExchangeAdapter',
      'Feed',
      'FeedOptions',
      'FeedStats',
      'Logger',
      'MarketEvent',
      'MarketEventType',
      'ParsedChannel',
      'StatusEvent',
      'StatusFields',
      'StatusKind',
      'TradeContinuityOptions',
      'TradeEvent',
      'TradeHistorySource',
      'TradeHole',
      'TradePosition',
      'TradeSide',
    ])
  })

  it('never re-exports a whole module', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/export \*/)
  })
})
