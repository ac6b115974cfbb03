import { describe, expect, it } from 'vitest'
import * as conformance from '../src/conformance/index.js'
import * as helpers from '../src/helpers/index.js'
import * as testkit from '../src/index.js'

describe('public surface', () => {
  it('@dccd/testkit exports exactly these names', () => {
    expect(Object.keys(testkit).sort()).toEqual([
      'CaptureProxy',
      'FakeConnection',
      'FakeExchange',
      'Replay',
      'SeededRandom',
      'SimulatedMarket',
      'fixturePath',
      'loadCapture',
      'loadSession',
      'parseCapture',
      'parseCryptofeedCapture',
      'parseSession',
      'replaySession',
    ])
  })

  it('@dccd/testkit/conformance exports exactly these names', () => {
    expect(Object.keys(conformance).sort()).toEqual([
      'ConformanceFailure',
      'MALFORMED_FRAME',
      'conformanceClauses',
      'runAdapterConformance',
    ])
  })

  it('@dccd/testkit/helpers exports exactly these names', () => {
    expect(Object.keys(helpers).sort()).toEqual([
      'EventCollector',
      'ReferenceBook',
      'collectEvents',
      'consumerBooks',
      'describeEvents',
      'dropFrames',
      'dropOneFrame',
      'singleEdits',
    ])
  })
})
