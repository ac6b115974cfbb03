import { ExchangeError, InvalidArgumentError, RequestError } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { RestClient } from '../src/index.js'
import { BodyServer, streamForever, write } from './support/body-server.js'

const KiB = 1024
const MiB = 1024 * KiB
/** What the slow streams send every 2 ms. */
const CHUNK = Buffer.alloc(16 * KiB, 'x')
/** What may reach the socket after the client's last read: the chunks written while the close travels. */
const SLACK = 4 * CHUNK.length

/** A JSON document of exactly `bytes` UTF-8 bytes, with a 3-byte character to split across chunks. */
function jsonOfBytes(bytes: number): string {
  const shell = Buffer.byteLength('{"pad":"€"}')
  return `{"pad":"€${'x'.repeat(bytes - shell)}"}`
}

/** The `N` in a `RequestError` message's "N bytes read". */
function bytesRead(error: unknown): number {
  const match = /(\d+) bytes read/.exec(String((error as Error).message))
  return match === null ? Number.NaN : Number(match[1])
}

let server: BodyServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('RestClient response size cap (node:http on 127.0.0.1)', () => {
  it('returns a body of exactly maxResponseBytes and rejects one byte more', async () => {
    const cap = 1 * KiB
    const exact = Buffer.from(jsonOfBytes(cap))
    const over = Buffer.from(jsonOfBytes(cap + 1))
    server = await BodyServer.start((request, response, served) => {
      if (request.url === '/exact-length') response.setHeader('content-length', exact.length)
      const body = request.url === '/over' ? over : exact
      // Two writes, the second starting inside the '€', so the decoder must carry bytes across reads.
      write(response, served, body.subarray(0, 10))
      write(response, served, body.subarray(10))
      response.end()
    })
    const client = new RestClient({ baseUrl: server.url, exchange: 'test', maxResponseBytes: cap, retries: 0 })

    await expect(client.getJson('/exact')).resolves.toEqual(JSON.parse(exact.toString()))
    await expect(client.getJson('/exact-length')).resolves.toEqual(JSON.parse(exact.toString()))
    const error = await client.getJson('/over').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestError)
    expect(error).toMatchObject({ code: 'DCCD_REQUEST_FAILED', status: 200 })
    expect((error as Error).message).toContain(`${server.url}/over`)
    expect((error as Error).message).toContain(`maxBytes ${cap}`)
    expect(bytesRead(error)).toBe(cap + 1)
  })

  it('fails a Content-Length above the default cap without reading the body', async () => {
    server = await BodyServer.start((_request, response, served) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * MiB) })
      streamForever(response, served, CHUNK)
    })
    const client = new RestClient({ baseUrl: server.url, exchange: 'test', retries: 0, timeoutMs: 2000 })

    const error = await client.getJson('/api/v3/depth').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestError)
    expect(error).toMatchObject({ code: 'DCCD_REQUEST_FAILED', status: 200 })
    expect((error as Error).message).toContain(`Content-Length ${1024 * MiB}`)
    expect((error as Error).message).toContain(`maxBytes ${16 * MiB}`)
    const [served] = server.responses
    await served!.closed
    // Cancelled on the headers: only what was in flight, far from the 16 MiB a capped read would take.
    expect(served!.written).toBeLessThanOrEqual(SLACK)
  })

  it('cuts a chunked body that grows past the cap and never ends, holding no more than the cap', async () => {
    const cap = 256 * KiB
    server = await BodyServer.start((_request, response, served) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      streamForever(response, served, CHUNK)
    })
    const client = new RestClient({ baseUrl: server.url, exchange: 'test', maxResponseBytes: cap, retries: 0, timeoutMs: 2000 })

    const error = await client.getJson('/0/public/AssetPairs').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestError)
    expect(error).toMatchObject({ code: 'DCCD_REQUEST_FAILED' })
    expect((error as Error).message).toContain(`maxBytes ${cap}`)
    expect((error as Error).message).toContain('/0/public/AssetPairs')
    const [served] = server.responses
    await served!.closed
    expect(served!.finished()).toBe(false)
    // The client stops at the first read past the cap: at most one chunk over it.
    expect(bytesRead(error)).toBeGreaterThan(cap)
    expect(bytesRead(error)).toBeLessThanOrEqual(cap + CHUNK.length)
    expect(served!.written).toBeLessThanOrEqual(cap + SLACK)
  })

  it('retries an over-cap body per the retry policy, then fails with RequestError', async () => {
    const cap = 64 * KiB
    let flaky = 0
    server = await BodyServer.start((request, response, served) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      if (request.url === '/flaky' && ++flaky === 3) {
        response.end('{"ok":1}')
        return
      }
      streamForever(response, served, CHUNK)
    })
    // The client-wide cap is the default; the request lowers it.
    const client = new RestClient({
      baseUrl: server.url,
      exchange: 'test',
      retries: 2,
      initialBackoffMs: 1,
      random: () => 0,
      timeoutMs: 2000,
    })

    await expect(client.getJson('/flaky', { maxBytes: cap })).resolves.toEqual({ ok: 1 })
    const error = await client.getJson('/always', { maxBytes: cap }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestError)
    expect(error).toMatchObject({ code: 'DCCD_REQUEST_FAILED', status: 200 })
    expect((error as Error).message).toContain(`maxBytes ${cap}`)
    expect((error as Error).message).toContain('after 3 attempts')

    expect(server.responses.map((r) => r.path)).toEqual(['/flaky', '/flaky', '/flaky', '/always', '/always', '/always'])
    const cut = server.responses.filter((r) => !(r.path === '/flaky' && r.finished()))
    expect(cut).toHaveLength(5)
    for (const served of cut) {
      await served.closed
      expect(served.finished()).toBe(false)
      expect(served.written).toBeLessThanOrEqual(cap + SLACK)
    }
  })

  it('reads an oversized error body only up to 64 KiB and still fails with the normal error', async () => {
    server = await BodyServer.start((request, response, served) => {
      response.writeHead(request.url === '/down' ? 503 : 400, { 'content-type': 'text/plain' })
      streamForever(response, served, CHUNK)
    })
    const bodies: unknown[] = []
    const client = new RestClient({
      baseUrl: server.url,
      exchange: 'test',
      retries: 1,
      initialBackoffMs: 1,
      random: () => 0,
      timeoutMs: 2000,
      parseError: (_status, body) => {
        bodies.push(body)
        return undefined
      },
    })

    const error = await client.getJson('/bad').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExchangeError)
    expect(error).toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', status: 400 })
    expect((error as Error).message).toContain(`HTTP 400: ${'x'.repeat(200)}`)
    expect(bodies).toEqual(['x'.repeat(64 * KiB)])

    const down = await client.getJson('/down').catch((e: unknown) => e)
    expect(down).toBeInstanceOf(RequestError)
    expect(down).toMatchObject({ code: 'DCCD_REQUEST_FAILED', status: 503 })
    expect((down as Error).message).toContain('HTTP 503 (after 2 attempts)')

    expect(server.responses.map((r) => r.path)).toEqual(['/bad', '/down', '/down'])
    for (const served of server.responses) {
      await served.closed
      expect(served.written).toBeLessThanOrEqual(64 * KiB + SLACK)
    }
  })

  it('cuts a slow body that stays under the cap at timeoutMs', async () => {
    server = await BodyServer.start((_request, response, served) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      streamForever(response, served, Buffer.from(' '), 5)
    })
    const client = new RestClient({ baseUrl: server.url, exchange: 'test', retries: 0, timeoutMs: 300 })

    const error = await client.getJson('/slow').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestError)
    expect((error as Error).message).toContain('timed out after 300 ms')
    await server.responses[0]!.closed
  })

  it('rejects a cap that is not a positive integer', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new RestClient({ baseUrl: 'http://127.0.0.1:1', exchange: 'test', maxResponseBytes: bad })).toThrow(
        InvalidArgumentError,
      )
    }
    const client = new RestClient({ baseUrl: 'http://127.0.0.1:1', exchange: 'test' })
    await expect(client.getJson('/x', { maxBytes: 0 })).rejects.toMatchObject({
      code: 'DCCD_INVALID_ARGUMENT',
      message: expect.stringContaining('maxBytes'),
    })
  })
})
