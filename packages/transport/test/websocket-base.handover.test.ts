import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, FAST } from './support/feeds.js'
import { GatedProxy } from './support/gated-proxy.js'
import { collect, ScriptFeed } from './support/script-feed.js'

let fx: FakeExchange
let proxy: GatedProxy | undefined
let feed: ScriptFeed | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await proxy?.close()
  await fx.close()
  feed = proxy = undefined
})

/** Waits for the client's subscribe frame on `connection`. */
const subscribed = (connection: FakeConnection): Promise<string> => connection.waitForMessage((m) => m === 'subscribe')

/** The rotation overlap never ends by itself in these tests: the server closes the old socket when the test says. */
const OPTIONS = { ...FAST, rotationOverlapMs: 60_000 }

/** Starts `feed`, waits until socket 1 streamed `a1`, and returns socket 1 (server side) with the records read so far. */
async function firstSocket(f: ScriptFeed): Promise<{ s1: FakeConnection; seen: string[] }> {
  const seen = collect(f)
  const s1 = await fx.waitForConnection(1)
  await subscribed(s1)
  s1.send('a1')
  await eventually(() => seen.includes('a1'))
  return { s1, seen }
}

describe('WebSocketBase rotation handover', () => {
  it('parses a replacement’s frames after the old socket closed, in arrival order, before onRotationComplete’s records', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, OPTIONS))
    const { s1, seen } = await firstSocket(f)
    f.holdConnect(2)
    f.rotateConnection(1, 'test')
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    s2.send('b0') // while its onConnect still runs
    await eventually(() => f.stats.frames === 2)
    f.finishConnect(2)
    await eventually(() => f.log.includes('rotated 1->2'))
    s2.send('b1')
    s1.send('a2') // the old socket keeps streaming during the overlap
    s2.send('b2')
    await eventually(() => f.stats.frames === 5)
    expect(f.parsed).toEqual(['a1', 'a2']) // the replacement's three frames are held

    s1.close() // the old socket goes: the rotation completes
    await eventually(() => seen.includes('complete#1->2'))
    s2.send('b3')
    await eventually(() => seen.includes('b3'))
    expect(seen).toEqual(['start#1', 'a1', 'a2', 'b0', 'b1', 'b2', 'complete#1->2', 'b3'])
    expect(f.log).not.toContain('disconnect 1')
    expect(f.stats.reconnects).toBe(0)
  })

  it('drops the held frames of a replacement that fails before taking over', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, OPTIONS))
    const { s1, seen } = await firstSocket(f)
    f.holdConnect(2)
    f.rotateConnection(1, 'test')
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    s2.send('b1')
    await eventually(() => f.stats.frames === 2)
    s2.terminate()
    await s2.closed
    f.finishConnect(2) // its onConnect settles: the failure is reported now
    await eventually(() => f.log.includes('replacementFailed 2'))

    // The rotation is retried with socket 3, which takes over as usual.
    const s3 = await fx.waitForConnection(3)
    await subscribed(s3)
    s3.send('c1')
    await eventually(() => f.log.includes('rotated 1->3'))
    s1.close()
    await eventually(() => seen.includes('complete#1->3'))
    expect(seen).toEqual(['start#1', 'a1', 'c1', 'complete#1->3'])
    expect(f.parsed).not.toContain('b1')
    expect(f.log.filter((l) => l.startsWith('disconnect'))).toEqual([])
  })

  it('drops the held frames of a replacement that dies during the overlap, closes the old socket and reconnects', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, OPTIONS))
    const { s1, seen } = await firstSocket(f)
    f.rotateConnection(1, 'test')
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    await eventually(() => f.log.includes('rotated 1->2'))
    s2.send('b1')
    await eventually(() => f.stats.frames === 2)
    s2.terminate()

    await s1.closed // the old socket cannot carry the stream on: its subscriptions were meant to end
    expect(s1.closeCode).toBe(1000)
    const s3 = await fx.waitForConnection(3)
    await subscribed(s3)
    s3.send('c1')
    await eventually(() => seen.includes('c1'))
    expect(seen).toEqual(['start#1', 'a1', 'lost#2', 'start#3', 'c1'])
    expect(f.parsed).not.toContain('b1')
    expect(f.log.some((l) => l.startsWith('complete'))).toBe(false)
  })
})

describe('WebSocketBase takeover (active socket lost while its replacement is opening)', () => {
  it('continues on a replacement still subscribing: disconnect records, its start records, its held frames, then its live frames', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, OPTIONS))
    const { s1, seen } = await firstSocket(f)
    f.holdConnect(2)
    f.rotateConnection(1, 'test')
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    s2.send('b1')
    s2.send('b2')
    await eventually(() => f.stats.frames === 3)
    expect(f.parsed).toEqual(['a1'])

    s1.terminate()
    await eventually(() => seen.includes('lost#1'))
    // Still subscribing: nothing of it has started, its frames stay held (with their receive times).
    s2.send('b3')
    await eventually(() => f.stats.frames === 4)
    expect(seen).toEqual(['start#1', 'a1', 'lost#1'])

    // Its onConnect done, it starts as the reconnect (not a rotation): start records, then the held frames.
    f.finishConnect(2)
    await eventually(() => seen.includes('b3'))
    expect(seen).toEqual(['start#1', 'a1', 'lost#1', 'start#2', 'b1', 'b2', 'b3'])
    expect(f.log.slice(f.log.indexOf('disconnect 1')).filter((l) => !l.startsWith('subscribed'))).toEqual([
      'disconnect 1',
      'streamStart 2',
      'parse b1',
      'parse b2',
      'parse b3',
    ])
    await eventually(() => f.stats.reconnects === 1)
    s2.send('b4')
    await eventually(() => seen.includes('b4'))
    expect(seen.slice(4)).toEqual(['b1', 'b2', 'b3', 'b4'])
    expect(f.log.some((l) => l.startsWith('rotated') || l.startsWith('complete') || l.startsWith('replacementFailed'))).toBe(false)
    expect(fx.connections).toHaveLength(2)
  })

  it('continues on a replacement still handshaking: it starts as a fresh stream once it opens', async () => {
    proxy = await GatedProxy.start(fx.wsUrl)
    const f = (feed = new ScriptFeed(proxy.url, OPTIONS))
    proxy.hold(2)
    const { s1, seen } = await firstSocket(f)
    f.rotateConnection(1, 'test')
    await proxy.waitForAccepted(2) // its upgrade request is held in the proxy

    s1.terminate()
    await eventually(() => seen.includes('lost#1'))
    expect(f.log).not.toContain('streamStart 2') // not open yet: nothing of it can start
    proxy.release(2)
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    s2.send('b1')
    await eventually(() => seen.includes('b1'))
    expect(seen).toEqual(['start#1', 'a1', 'lost#1', 'start#2', 'b1'])
    expect(f.log.indexOf('streamStart 2')).toBeGreaterThan(f.log.indexOf('connect 2'))
    await eventually(() => f.stats.reconnects === 1)
    expect(f.log.some((l) => l.startsWith('rotated') || l.startsWith('complete'))).toBe(false)
    expect(proxy.accepted).toBe(2) // the replacement was the reconnect: no other socket was opened
  })

  it('reconnects as a fresh stream when a replacement that took over never finishes its handshake', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...OPTIONS, connectTimeoutMs: 400 }))
    const { s1, seen } = await firstSocket(f)
    fx.handshakeHang = true
    f.rotateConnection(1, 'test')
    await fx.waitUntil(() => fx.upgradeAttempts === 2)

    s1.terminate()
    await eventually(() => seen.includes('lost#1'))
    fx.handshakeHang = false
    // The hung replacement (socket 2) times out; socket 3 opens after the backoff delay.
    const s3 = await fx.waitForConnection(2)
    await subscribed(s3)
    s3.send('c1')
    await eventually(() => seen.includes('c1'))
    expect(seen).toEqual(['start#1', 'a1', 'lost#1', 'start#3', 'c1'])
    expect(fx.upgradeAttempts).toBe(3)
    expect(f.log.some((l) => l.startsWith('replacementFailed') || l.includes(' 2'))).toBe(false)
  })
})
