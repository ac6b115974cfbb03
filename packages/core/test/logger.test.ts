import { afterEach, describe, expect, it, vi } from 'vitest'
import { consoleLogger, silentLogger } from '../src/index.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('loggers', () => {
  it('silentLogger writes nothing', () => {
    const write = vi.spyOn(process.stderr, 'write').mockReturnValue(true)
    silentLogger.error('boom', { a: 1 })
    silentLogger.warn('w')
    expect(write).not.toHaveBeenCalled()
  })

  it('consoleLogger writes warn and error to stderr with their context, and info only when verbose', () => {
    const write = vi.spyOn(process.stderr, 'write').mockReturnValue(true)
    const quiet = consoleLogger()
    quiet.info('hidden')
    quiet.debug('hidden')
    quiet.warn('reconnecting', { delayMs: 1000 })
    quiet.error('failed')
    consoleLogger({ verbose: true }).info('shown')
    const lines = write.mock.calls.map((call) => String(call[0]))
    expect(lines).toEqual(['[dccd] warn reconnecting {"delayMs":1000}\n', '[dccd] error failed\n', '[dccd] info shown\n'])
  })
})
