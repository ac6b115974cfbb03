import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { FakeExchange } from '../src/index.js'
import { connect } from './support/client.js'

let fx: FakeExchange
afterEach(async () => {
  await fx?.close()
})

describe('FakeExchange connections', () => {
  it('listens on 127.0.0.1 with ws and http URLs on the same port', async () => {
    fx = await FakeExchange.start()
    expect(fx.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    expect(fx.restUrl).toBe(fx.wsUrl.replace('ws:', 'http:'))
  })

  it('listens on the port asked for', async () => {
    const probe = createServer()
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)))
    await new Promise((resolve) => probe.close(resolve))
    fx = await FakeExchange.start({ port })
    expect(fx.wsUrl).toBe(`ws://127.0.0.1:${port}`)
    await connect(fx.wsUrl)
    expect(fx.connections).toHaveLength(1)
  })

  it('sends scripted frames and records client messages with the upgrade path', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((conn) => {
      void conn.waitForMessage((m) => m.includes('subscribe')).then(() => {
        conn.send({ event: 'subscribed' })
        conn.send('raw text')
      })
    })
    const client = await connect(`${fx.wsUrl}/ws?x=1`)
    client.ws.send('{"op":"subscribe"}')
    const frames = await client.waitForFrames(2)
    expect(frames).toEqual(['{"event":"subscribed"}', 'raw text'])
    const conn = await fx.waitForConnection(1)
    expect(conn.id).toBe(1)
    expect(conn.path).toBe('/ws?x=1')
    expect(conn.messages).toEqual(['{"op":"subscribe"}'])
    expect(conn.sentCount).toBe(2)
  })

  it('counts open connections and resolves closed when the client leaves', async () => {
    fx = await FakeExchange.start()
    const a = await connect(fx.wsUrl)
    await connect(fx.wsUrl)
    const second = await fx.waitForConnection(2)
    expect(fx.connections).toHaveLength(2)
    expect(fx.openConnections).toBe(2)
    a.ws.close()
    await fx.connections[0]!.closed
    expect(fx.openConnections).toBe(1)
    expect(second.isOpen).toBe(true)
  })

  it('terminate() drops the socket without a closing handshake', async () => {
    fx = await FakeExchange.start()
    const client = await connect(fx.wsUrl)
    ;(await fx.waitForConnection()).terminate()
    expect(await client.closed).toBe(1006)
  })

  it('close(code, reason) closes with that code', async () => {
    fx = await FakeExchange.start()
    const client = await connect(fx.wsUrl)
    const reason = new Promise<string>((resolve) => client.ws.once('close', (_code, r) => resolve(r.toString())))
    ;(await fx.waitForConnection()).close(4001, 'go away')
    expect(await client.closed).toBe(4001)
    expect(await reason).toBe('go away')
  })

  it('answers pings until stall(), then neither pongs nor sends while the socket stays open', async () => {
    fx = await FakeExchange.start()
    const client = await connect(fx.wsUrl)
    const conn = await fx.waitForConnection()
    await new Promise<void>((resolve) => {
      client.ws.once('pong', () => resolve())
      client.ws.ping()
    })
    conn.stall()
    conn.send('dropped')
    let ponged = false
    client.ws.on('pong', () => (ponged = true))
    client.ws.ping()
    // A message round trip after the ping proves the server processed it without answering.
    client.ws.send('after ping')
    await conn.waitForMessage((m) => m === 'after ping')
    expect(ponged).toBe(false)
    expect(client.received).toEqual([])
    expect(conn.isOpen).toBe(true)
    expect(conn.sentCount).toBe(0)
  })

  it('refuseConnections(n) answers the next n upgrades with HTTP 503', async () => {
    fx = await FakeExchange.start()
    fx.refuseConnections(2)
    for (let i = 0; i < 2; i++) {
      const ws = new WebSocket(fx.wsUrl)
      const status = await new Promise<number>((resolve) => {
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0)
          ws.terminate()
        })
        ws.on('error', () => {})
      })
      expect(status).toBe(503)
    }
    await fx.waitUntil(() => fx.refusedCount === 2)
    await connect(fx.wsUrl)
    expect(fx.connections).toHaveLength(1)
    expect(fx.upgradeAttempts).toBe(3)
  })

  it('handshakeHang accepts TCP but never answers the upgrade, and close() still returns', async () => {
    fx = await FakeExchange.start({ handshakeHang: true })
    const ws = new WebSocket(fx.wsUrl)
    ws.on('error', () => {})
    let opened = false
    ws.on('open', () => (opened = true))
    await fx.waitUntil(() => fx.upgradeAttempts === 1)
    expect(opened).toBe(false)
    expect(fx.connections).toHaveLength(0)
    const clientClosed = new Promise((resolve) => ws.once('close', resolve))
    await fx.close()
    await clientClosed
    expect(opened).toBe(false)
  })

  it('ignoreCloseFrames never answers the client close frame', async () => {
    fx = await FakeExchange.start({ ignoreCloseFrames: true })
    const client = await connect(fx.wsUrl)
    const conn = await fx.waitForConnection()
    client.ws.close(1000)
    await conn.waitForIgnoredCloseFrame()
    expect(client.ws.readyState).toBe(WebSocket.CLOSING)
    expect(conn.isOpen).toBe(true)
    client.ws.terminate()
    await conn.closed
    expect(fx.openConnections).toBe(0)
  })

  it('close() terminates open connections and resolves', async () => {
    fx = await FakeExchange.start()
    const client = await connect(fx.wsUrl)
    await fx.close()
    expect(await client.closed).toBe(1006)
    expect(fx.openConnections).toBe(0)
    await fx.close()
  })

  it('waitForMessage rejects when the connection closes first', async () => {
    fx = await FakeExchange.start()
    const client = await connect(fx.wsUrl)
    const conn = await fx.waitForConnection()
    const waiting = conn.waitForMessage()
    client.ws.terminate()
    await expect(waiting).rejects.toThrow(/closed/)
  })

  it('forEachMessage answers every client message in order, earlier ones included, until told to stop', async () => {
    fx = await FakeExchange.start()
    const client = await connect(fx.wsUrl)
    const conn = await fx.waitForConnection()
    client.ws.send('a')
    await conn.waitForMessageCount(1)
    const seen: string[] = []
    conn.forEachMessage((message, index) => {
      seen.push(`${index}:${message}`)
      conn.send(`echo ${message}`)
      return message !== 'stop'
    })
    for (const text of ['b', 'stop', 'c']) client.ws.send(text)
    expect(await client.waitForFrames(3)).toEqual(['echo a', 'echo b', 'echo stop'])
    await conn.waitForMessageCount(4)
    expect(seen).toEqual(['0:a', '1:b', '2:stop'])
  })

  it('answers application pings by itself, keeps them out of messages, and stops answering once stalled', async () => {
    fx = await FakeExchange.start({
      appPing: {
        match: (message) => message.includes('"ping"'),
        answer: (message) => ({ method: 'pong', req_id: (JSON.parse(message) as { req_id: number }).req_id }),
      },
    })
    const client = await connect(fx.wsUrl)
    const conn = await fx.waitForConnection()
    client.ws.send('{"method":"ping","req_id":7}')
    expect(await client.waitForFrames(1)).toEqual(['{"method":"pong","req_id":7}'])
    client.ws.send('{"method":"subscribe"}')
    await conn.waitForMessageCount(1)
    expect(conn.messages).toEqual(['{"method":"subscribe"}'])
    conn.stall()
    client.ws.send('{"method":"ping","req_id":8}')
    client.ws.send('after')
    // waitUntil is re-checked on every client message, pings included.
    await fx.waitUntil(() => conn.appPings === 2 && conn.messages.length === 2)
    expect(client.received).toEqual(['{"method":"pong","req_id":7}'])
  })
})
