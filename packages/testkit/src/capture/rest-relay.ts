/**
 * The HTTP half of the capture proxy: forwards each request (method, path,
 * query, body, the client's headers) to the upstream REST base, records the
 * response body with the real URL, and answers the client with it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CaptureLog } from './capture-log.js'
import { encodeText } from './frame-encoding.js'
import { forwardedHeaders, upstreamUrl } from './upstream-url.js'

/** Response headers that no longer hold once `fetch` has read (and decompressed) the body. */
const DROPPED_RESPONSE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'])

/** Relays one request; an upstream that cannot be reached is answered 502 (and not recorded). */
export async function relayRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: { base: string; log: CaptureLog; signal: AbortSignal },
): Promise<void> {
  const url = upstreamUrl(options.base, req.url ?? '/')
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const method = (req.method ?? 'GET').toUpperCase()
  let status: number
  let headers: Record<string, string>
  let body: Buffer
  try {
    const response = await fetch(url, {
      method,
      headers: forwardedHeaders(req.headers),
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      redirect: 'manual',
      signal: options.signal,
    })
    body = Buffer.from(await response.arrayBuffer())
    status = response.status
    headers = {}
    response.headers.forEach((value, name) => {
      if (!DROPPED_RESPONSE_HEADERS.has(name)) headers[name] = value
    })
  } catch (error) {
    if (!res.destroyed) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`capture proxy: ${url} failed: ${String(error)}`)
    return
  }
  options.log.rest(url, status, encodeText(body.toString('utf8')))
  if (!res.destroyed) res.writeHead(status, headers).end(body)
}
