import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as core from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/core', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(core).sort()).toEqual([
      'BarContinuity',
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
      'SequenceContinuity',
      'SequenceGapError',
      'Subscriptions',
      'TradeContinuity',
      'addBars',
      'barGapEvent',
      'barsBetween',
      'booleanOption',
      'checkSymbolFormat',
      'checkSymbolsListed',
      'consoleLogger',
      'decimalToNumber',
      'errorMessage',
      'hasErrorCode',
      'integerOption',
      'intervalMicros',
      'isPlausibleExchangeTime',
      'isoToMicros',
      'microsToIso',
      'msToMicros',
      'nextOpenTime',
      'nowMicros',
      'numberOption',
      'parseChannels',
      'resumeOption',
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
      'BarContinuityOptions',
      'BarEvent',
      'BarHistoryRequest',
      'BarHistorySource',
      'BarHole',
      'BarResumePoint',
      'BookEvent',
      'BookLevel',
      'BookSideName',
      'BookUpdate',
      'Channel',
      'ChannelKind',
      'CheckpointStore',
      'CheckpointValue',
      'ConnectionOptions',
      'ContinuityCommonOptions',
      'DccdErrorCode',
      'EventWithBook',
      'ExchangeAdapter',
      'ExchangeHistory',
      'Feed',
      'FeedOptions',
      'FeedStats',
      'HistoryOptions',
      'HistoryRequest',
      'Logger',
      'MarketEvent',
      'MarketEventType',
      'ParsedChannel',
      'ResumePoints',
      'SequenceContinuityOptions',
      'SequenceHistory',
      'SequenceHole',
      'SequencePosition',
      'SequenceRule',
      'StatusEvent',
      'StatusFields',
      'StatusKind',
      'SymbolResumePoint',
      'TradeContinuityOptions',
      'TradeEvent',
      'TradeHistoryRequest',
      'TradeHistorySource',
      'TradeHole',
      'TradePosition',
      'TradeResumePoint',
      'TradeSide',
    ])
  })

  it('never re-exports a whole module', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/export \*/)
  })
})
