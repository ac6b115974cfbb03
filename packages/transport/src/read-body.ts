/**
 * Reads a `fetch` response body as UTF-8 text without ever holding more than
 * a cap: `response.text()` buffers whatever the server sends, and a 450 MB
 * depth body ran the process out of heap (issue #11, item 8).
 */

/** What {@link readCappedBody} read. */
export interface CappedBody {
  /** The body, or its first `maxBytes` bytes when `complete` is false (a split character decodes as U+FFFD). */
  text: string
  /** Whether the whole body fit in `maxBytes`. */
  complete: boolean
  /** Bytes received, counting the read that crossed the cap (0 when the declared length was refused). */
  bytes: number
  /** The `Content-Length` that exceeded the cap, when the body was refused without being read. */
  declared?: number
}

/**
 * Reads `response`'s body chunk by chunk, decoding as it goes, and cancels it
 * (which releases the socket) once more than `maxBytes` arrived; with
 * `refuseDeclared`, a `Content-Length` above `maxBytes` cancels it before the
 * first read. Memory stays at `maxBytes` plus one read.
 *
 * Aborting `signal` cancels the read and throws its reason, even for a
 * `fetch` that does not tie the body to the request's signal.
 */
export async function readCappedBody(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
  refuseDeclared: boolean,
): Promise<CappedBody> {
  signal.throwIfAborted()
  const body = response.body
  if (body === null) return { text: '', complete: true, bytes: 0 }
  // The declared length is of the encoded body when the server compressed it; JSON shrinks several-fold
  // under gzip, so an encoded length above the cap means a decoded one far above it.
  const declared = contentLength(response)
  if (refuseDeclared && declared !== undefined && declared > maxBytes) {
    await body.cancel().catch(() => undefined)
    return { text: '', complete: false, bytes: 0, declared }
  }
  const reader = body.getReader()
  const onAbort = (): void => void reader.cancel(signal.reason).catch(() => undefined)
  signal.addEventListener('abort', onAbort, { once: true })
  const decoder = new TextDecoder()
  const parts: string[] = []
  let bytes = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      // A cancelled reader reports `done`: tell a cut body from a finished one.
      signal.throwIfAborted()
      if (done) break
      if (bytes + value.byteLength > maxBytes) {
        parts.push(decoder.decode(value.subarray(0, maxBytes - bytes)))
        bytes += value.byteLength
        await reader.cancel().catch(() => undefined)
        return { text: parts.join(''), complete: false, bytes }
      }
      bytes += value.byteLength
      parts.push(decoder.decode(value, { stream: true }))
    }
    parts.push(decoder.decode())
    return { text: parts.join(''), complete: true, bytes }
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

function contentLength(response: Response): number | undefined {
  const header = response.headers.get('content-length')
  if (header === null || !/^\d+$/.test(header.trim())) return undefined
  return Number(header.trim())
}
