import { InvalidArgumentError } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { resolveWebSocketOptions } from '../src/options.js'
import { JsonFeed } from './support/feeds.js'

describe('WebSocketBase options', () => {
  it('fills the documented defaults', () => {
    const o = resolveWebSocketOptions()
    expect(o).toMatchObject({
      initialBackoffMs: 1000,
      backoffFactor: 2,
      maxBackoffMs: 60_000,
      closeTimeoutMs: 1000,
      jitter: 0.5,
      maxQueueSize: 10_000,
      maxConnectionAgeMs: 0,
      rotationOverlapMs: 5000,
      connectSpreadMs: 0,
      sendRatePerSecond: Number.POSITIVE_INFINITY,
    })
  })

  it.each([
    ['jitter', 1.5],
    ['backoffFactor', 0.5],
    ['initialBackoffMs', 0],
    ['maxQueueSize', 2.5],
    ['closeTimeoutMs', -1],
    ['maxBackoffMs', 10],
  ] as const)('rejects %s = %s with InvalidArgumentError naming it', (name, value) => {
    const attempt = () => new JsonFeed('ws://127.0.0.1:1', { [name]: value })
    expect(attempt).toThrow(InvalidArgumentError)
    expect(attempt).toThrow(name)
    expect(attempt).toThrow(String(value))
  })

  it.each([['http://example.test'], ['not a url']])('rejects the url %s', (url) => {
    expect(() => new JsonFeed(url)).toThrow(InvalidArgumentError)
    expect(() => new JsonFeed(url)).toThrow(url)
  })

  it('rejects an empty url list', () => {
    expect(() => new JsonFeed([])).toThrow(InvalidArgumentError)
  })
})
