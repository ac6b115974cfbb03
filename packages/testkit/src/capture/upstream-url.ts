/** Maps a request the proxy received to the upstream URL it forwards to. */

/**
 * `base` + the request's path and query: `wss://stream.binance.com:9443` + `/stream?streams=a`.
 * A path in `base` is kept as a prefix (`https://host/v1` + `/x` → `https://host/v1/x`).
 */
export function upstreamUrl(base: string, pathAndQuery: string): string {
  const url = new URL(base)
  const prefix = url.pathname.replace(/\/+$/, '')
  return `${url.protocol}//${url.host}${prefix}${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`
}

/** Request headers that belong to one hop (or to the WebSocket handshake), never forwarded. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'proxy-connection',
  'accept-encoding',
])

/** The headers worth forwarding: the client's own, without hop-by-hop and handshake ones. */
export function forwardedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (value === undefined || HOP_HEADERS.has(lower) || lower.startsWith('sec-websocket-')) continue
    kept[lower] = Array.isArray(value) ? value.join(', ') : value
  }
  return kept
}
