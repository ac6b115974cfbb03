import { describe, expect, it } from 'vitest'
import { parseSinkPlan } from '../src/record/sink-plan.js'

describe('dccd record --sink options', () => {
  it('fill defaults, and take the stream settings used when dccd creates the stream', () => {
    expect(parseSinkPlan({ sink: 'nats://127.0.0.1:4222' })).toEqual({
      url: 'nats://127.0.0.1:4222',
      stream: 'DCCD',
      subjectPrefix: 'dccd',
      duplicateWindowMs: 120_000,
      maxSpoolBytes: 1024 ** 3,
      replicas: 1,
      maxAgeMs: 0,
      retention: 'limits',
    })
    expect(parseSinkPlan({ sink: 'nats://n:4222', replicas: '3', maxAge: '30d', retention: 'workqueue', maxSpool: '500MB' })).toMatchObject({
      replicas: 3,
      maxAgeMs: 30 * 86_400_000,
      retention: 'workqueue',
      maxSpoolBytes: 500e6,
    })
  })

  it('reject bad values naming the flag and the valid ones, and sink options without --sink', () => {
    expect(() => parseSinkPlan({ sink: 'nats://n:4222', replicas: '7' })).toThrow('invalid --replicas "7"; use 1 to 5')
    expect(() => parseSinkPlan({ sink: 'nats://n:4222', retention: 'forever' })).toThrow(/--retention.*limits/)
    expect(() => parseSinkPlan({ sink: 'nats://n:4222', maxAge: 'soon' })).toThrow(/--max-age/)
    expect(() => parseSinkPlan({ sink: 'http://n:4222' })).toThrow('invalid --sink "http://n:4222"; use nats://host:4222')
    expect(() => parseSinkPlan({ replicas: '3' })).toThrow('--replicas needs --sink nats://host:4222')
    expect(parseSinkPlan({})).toBeUndefined()
  })
})
