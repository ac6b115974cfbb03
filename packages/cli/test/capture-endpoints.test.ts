import type { ExchangeAdapter } from '@dccd/core'
import { exchange as okx } from '@dccd/okx'
import { describe, expect, it } from 'vitest'
import { captureEndpoints } from '../src/capture/endpoints.js'

const bare = { id: 'bare', name: 'Bare', channels: ['trades'], barIntervals: [], exampleSymbol: 'X', createFeed: () => undefined as never } as ExchangeAdapter

describe('captureEndpoints', () => {
  it("uses the adapter's published production endpoints unless a flag overrides one", () => {
    expect(captureEndpoints(okx, {})).toEqual({ wsUrl: 'wss://ws.okx.com:8443', restUrl: 'https://www.okx.com' })
    expect(captureEndpoints(okx, { wsUrl: 'wss://wspap.okx.com:8443' })).toEqual({ wsUrl: 'wss://wspap.okx.com:8443', restUrl: 'https://www.okx.com' })
  })

  it('names the missing flags for an adapter that publishes none', () => {
    expect(() => captureEndpoints(bare, { restUrl: 'https://x.test' })).toThrow('the bare adapter does not publish its production endpoints; give the real base URLs with --ws-url')
  })
})
