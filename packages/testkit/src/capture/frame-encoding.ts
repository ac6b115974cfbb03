/** How a captured message or body is written to a session line, so replaying it sends the same bytes. */

/** The `data` / `raw` / `binary` fields of a captured frame. */
export interface EncodedFrame {
  data: unknown
  raw?: string
  binary?: true
}

/**
 * A text frame or body: parsed JSON in `data`; the text in `raw` as well when re-encoding `data`
 * would not reproduce it (big integers, spacing), or alone (`data: null`) when it is not JSON.
 */
export function encodeText(text: string): EncodedFrame {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { data: null, raw: text }
  }
  return JSON.stringify(data) === text ? { data } : { data, raw: text }
}

/** A binary frame: its bytes in base64 (`raw`), flagged `binary`. */
export function encodeBinary(bytes: Buffer): EncodedFrame {
  return { data: null, raw: bytes.toString('base64'), binary: true }
}
