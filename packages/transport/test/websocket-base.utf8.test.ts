import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { FAST } from './support/feeds.js'
import { ScriptFeed } from './support/script-feed.js'

let server: WebSocketServer | undefined
let feed: ScriptFeed | undefined
afterEach(async () => {
  await feed?.stop()
  server?.close()
})

describe('text frames are not checked for UTF-8', () => {
  it('a frame with invalid bytes reaches the parser (as U+FFFD) and the connection stays up', async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await once(server, 'listening')
    server.on('connection', (ws) => {
      // "a<0xff>b" as a text frame: ws's default check would close the connection with 1007.
      ws.send(Buffer.from([0x61, 0xff, 0x62]), { binary: false })
      ws.send('c1')
    })
    const f = (feed = new ScriptFeed(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, FAST))
    const seen: string[] = []
    for await (const record of f.stream()) {
      seen.push(record)
      if (seen.length === 3) break
    }
    expect(seen).toEqual(['start#1', 'a\uFFFDb', 'c1'])
    expect(f.stats.reconnects).toBe(0)
  })
})
