import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveWebSocketOptions } from '../src/options.js'
import { Slot } from '../src/slot.js'
import type { SlotHost } from '../src/slot.js'
import { FakeSocket } from './support/fake-socket.js'
import { memoryLogger } from './support/feeds.js'

describe('Slot rotation (fake timers)', () => {
  let sockets: FakeSocket[]
  let slot: Slot<FakeSocket>
  let log: string[]
  let ready: (socket: FakeSocket) => Promise<void>

  beforeEach(() => {
    vi.useFakeTimers()
    sockets = []
    log = []
    ready = () => Promise.resolve()
    const host: SlotHost<FakeSocket> = {
      // Rotation starts at max(age / 2, age − 2 × overlap) = 80 000 ms.
      options: resolveWebSocketOptions({ maxConnectionAgeMs: 100_000, rotationOverlapMs: 10_000, initialBackoffMs: 1000 }),
      logger: memoryLogger(),
      random: () => 0,
      createConnection: () => {
        const socket = new FakeSocket(sockets.length + 1, () => slot)
        sockets.push(socket)
        log.push(`create ${socket.id}`)
        return socket
      },
      connectionReady: (socket) => {
        log.push(`onConnect ${socket.id}`)
        return ready(socket)
      },
      disconnected: (socket, reason) => log.push(`disconnected ${socket.id}: ${reason}`),
      replacementFailed: (socket, reason) => log.push(`replacementFailed ${socket.id}: ${reason}`),
      rotated: (previous, next) => log.push(`rotated ${previous.id}->${next.id}`),
      rotationComplete: (previous, next) => log.push(`complete ${previous.id}->${next.id}`),
      reconnected: (socket) => log.push(`reconnected ${socket.id}`),
      tookOver: (socket) => log.push(`tookOver ${socket.id}`),
    }
    slot = new Slot(0, 'ws://example.test', host)
  })
  afterEach(async () => {
    await slot.stop()
    vi.useRealTimers()
  })

  async function openFirst(): Promise<FakeSocket> {
    slot.start()
    sockets[0]!.open()
    await vi.advanceTimersByTimeAsync(0)
    return sockets[0]!
  }

  it('closes the old socket rotationOverlapMs after the replacement’s first frame', async () => {
    const first = await openFirst()
    await vi.advanceTimersByTimeAsync(79_999)
    expect(sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sockets).toHaveLength(2)
    sockets[1]!.open()
    await vi.advanceTimersByTimeAsync(0)
    expect(log).toEqual(['create 1', 'onConnect 1', 'create 2', 'onConnect 2', 'rotated 1->2'])
    expect(first.closed).toBe(false)
    await vi.advanceTimersByTimeAsync(500)
    sockets[1]!.frame()
    await vi.advanceTimersByTimeAsync(9_999)
    expect(first.closed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(first.closed).toBe(true)
    expect(slot.active).toBe(sockets[1])
    expect(log.at(-1)).toBe('complete 1->2')
    expect(log.some((l) => l.startsWith('disconnected'))).toBe(false)
  })

  it('closes the old socket at maxConnectionAgeMs when the replacement stays silent', async () => {
    const first = await openFirst()
    await vi.advanceTimersByTimeAsync(80_000)
    sockets[1]!.open()
    await vi.advanceTimersByTimeAsync(19_999)
    expect(first.closed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(first.closed).toBe(true)
    expect(slot.active).toBe(sockets[1])
  })

  it('keeps the old socket while the replacement fails, and reconnects when the old one reaches its age', async () => {
    const first = await openFirst()
    await vi.advanceTimersByTimeAsync(80_000)
    sockets[1]!.drop('refused') // replacement failed: retry after backoff while the old socket streams on
    expect(slot.active).toBe(first)
    await vi.advanceTimersByTimeAsync(1000)
    expect(sockets).toHaveLength(3)
    sockets[2]!.drop('refused')
    await vi.advanceTimersByTimeAsync(19_000 - 1)
    expect(first.closed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    // Hard deadline: the exchange would cut it now anyway. Consumers learn about the gap.
    expect(first.closed).toBe(true)
    expect(log).toContain('disconnected 1: reached maxConnectionAgeMs (100000 ms)')
  })

  it('a replacement whose onConnect is still running does not take over yet', async () => {
    const first = await openFirst()
    let finish!: () => void
    ready = () => new Promise<void>((resolve) => (finish = resolve))
    await vi.advanceTimersByTimeAsync(80_000)
    sockets[1]!.open()
    sockets[1]!.frame()
    await vi.advanceTimersByTimeAsync(15_000)
    expect(slot.active).toBe(first)
    expect(first.closed).toBe(false)
    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(log).toContain('rotated 1->2')
    // The overlap (10 s from the takeover) would end after the old socket's 100 s age: the age wins.
    await vi.advanceTimersByTimeAsync(4_999)
    expect(first.closed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(first.closed).toBe(true)
  })

  it('rotate() opens the replacement at once and completes when the old socket closes', async () => {
    const first = await openFirst()
    await vi.advanceTimersByTimeAsync(1000)
    slot.rotate('server shutdown')
    expect(sockets).toHaveLength(2)
    sockets[1]!.open()
    sockets[1]!.frame()
    await vi.advanceTimersByTimeAsync(0)
    expect(log).toEqual(['create 1', 'onConnect 1', 'create 2', 'onConnect 2', 'rotated 1->2'])
    slot.rotate('again') // during the overlap: waits for the rotation in progress
    await vi.advanceTimersByTimeAsync(9_999)
    expect(first.closed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(first.closed).toBe(true)
    expect(log.slice(5)).toEqual(['complete 1->2', 'create 3'])
    expect(log.some((l) => l.startsWith('disconnected'))).toBe(false)
  })

  it('rotate() is a no-op while a replacement is already being opened', async () => {
    await openFirst()
    slot.rotate('one')
    slot.rotate('two')
    expect(sockets).toHaveLength(2)
  })

  it('reports a socket that dies before it became active as disconnected, after its onConnect settled', async () => {
    let finish!: () => void
    ready = () => new Promise<void>((resolve) => (finish = resolve))
    slot.start()
    sockets[0]!.open()
    sockets[0]!.drop('closed while subscribing')
    await vi.advanceTimersByTimeAsync(0)
    expect(log).toEqual(['create 1', 'onConnect 1'])
    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(log).toEqual(['create 1', 'onConnect 1', 'disconnected 1: closed while subscribing'])
    expect(slot.active).toBe(undefined)
  })

  it('reports a rotation replacement that dies before taking over as replacementFailed, not disconnected', async () => {
    const first = await openFirst()
    await vi.advanceTimersByTimeAsync(80_000)
    sockets[1]!.open()
    sockets[1]!.drop('refused subscription')
    await vi.advanceTimersByTimeAsync(0)
    expect(log).toContain('replacementFailed 2: refused subscription')
    expect(log.some((l) => l.startsWith('disconnected'))).toBe(false)
    expect(slot.active).toBe(first)
  })

  it('closes the old socket without completing the rotation when the replacement dies during the overlap', async () => {
    const first = await openFirst()
    await vi.advanceTimersByTimeAsync(80_000)
    sockets[1]!.open()
    await vi.advanceTimersByTimeAsync(0)
    sockets[1]!.drop('lost')
    expect(first.closed).toBe(true)
    expect(log).toContain('disconnected 2: lost')
    expect(log.some((l) => l.startsWith('complete'))).toBe(false)
  })
})
