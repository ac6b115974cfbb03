import { expect, it } from 'vitest'
import * as api from '../src/index.js'

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toEqual([
    'BINANCE_INTERVALS',
    'BinanceFeed',
    'BookSync',
    'SYMBOL_FORMAT',
    'exchange',
    'parseBinanceFrame',
    'snapshotWeight',
  ])
})
