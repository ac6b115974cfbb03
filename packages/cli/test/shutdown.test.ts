import { describe, expect, it } from 'vitest'
import { Shutdown } from '../src/shutdown.js'

describe('Shutdown', () => {
  it('the first signal asks for a graceful stop', async () => {
    const shutdown = new Shutdown(300, () => 1000)
    expect(shutdown.signal()).toBe('stop')
    await expect(shutdown.stopped).resolves.toBe('signal')
    expect(shutdown.abandoned).toBe(false)
  })

  it('the same Ctrl-C delivered twice (pnpm and dccd both get it) counts once', () => {
    let now = 1000
    const shutdown = new Shutdown(300, () => now)
    shutdown.signal()
    now += 5
    expect(shutdown.signal()).toBe('repeat')
    expect(shutdown.abandoned).toBe(false)
  })

  it('a later second signal abandons sealing', async () => {
    let now = 1000
    const shutdown = new Shutdown(300, () => now)
    shutdown.signal()
    now += 2000
    expect(shutdown.signal()).toBe('abandon')
    expect(shutdown.abandoned).toBe(true)
    await shutdown.abandonedPromise
    expect(shutdown.signal()).toBe('repeat')
  })

  it('keeps the first stop reason', async () => {
    const shutdown = new Shutdown()
    shutdown.stop('duration')
    shutdown.stop('error')
    expect(shutdown.reason).toBe('duration')
    await expect(shutdown.stopped).resolves.toBe('duration')
  })
})
