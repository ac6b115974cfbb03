/**
 * Where the messages a source cannot decode go before they are terminated:
 * one JSON line per message, appended and fsynced, so nothing leaves the
 * stream unread. The body is kept byte for byte (base64): it may not be
 * text at all.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** A message that does not decode to an event. */
export interface RejectedMessage {
  /** The stream it came from. */
  readonly stream: string
  /** Its sequence number in the stream. */
  readonly seq: number
  readonly subject: string
  /** When the stream stored it, ISO-8601. */
  readonly published: string
  /** Its `Nats-Msg-Id`, if it had one. */
  readonly msgId: string | undefined
  /** Why it was rejected. */
  readonly reason: string
  readonly data: Uint8Array
}

/**
 * Appends `message` to `<dir>/<stream>.rejected.jsonl` and fsyncs it.
 *
 * @returns the file's path
 */
export function quarantineMessage(dir: string, message: RejectedMessage): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${message.stream}.rejected.jsonl`)
  const { data, ...fields } = message
  const line = `${JSON.stringify({ ...fields, base64: Buffer.from(data).toString('base64') })}\n`
  const fd = openSync(path, 'a')
  try {
    writeSync(fd, line)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return path
}
