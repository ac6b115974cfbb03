/** Small feeds and helpers shared by the socket tests. */
import type { Logger } from '@dccd/core'
import type { FakeConnection } from '@dccd/testkit'
import { WebSocketBase } from '../../src/index.js'
import type { Connection, FrameContext, InputContext, WebSocketOptions } from '../../src/index.js'

/** A record of {@link JsonFeed}: the frame's JSON plus the id of the socket it came on. */
export interface TestRecord {
  [key: string]: unknown
  connection: number
}

/** Parses JSON frames; subscribes with `{"op":"subscribe"}`; records every hook call. */
export class JsonFeed extends WebSocketBase<TestRecord> {
  readonly exchange = 'test'
  readonly connects: Connection[] = []
  readonly disconnects: { connection: Connection; reason: string }[] = []
  readonly rotated: { previous: number; next: number }[] = []
  readonly completed: { previous: number; next: number }[] = []
  readonly replacementsFailed: { connection: number; reason: string }[] = []
  /** Hook calls in order: `connect 1`, `connected 1` (onConnect done), `disconnect 1`, `replacementFailed 2`, `complete 1->2`. */
  readonly log: string[] = []
  heartbeats = 0
  subscriptions = 1
  /** Client-side clock (ms) when each subscription send of onConnect went out. */
  readonly subscribeSentAt: number[] = []
  onConnectError: ((attempt: number) => Error | undefined) | undefined

  constructor(url: string | readonly string[], options?: WebSocketOptions) {
    super(url, options)
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    this.connects.push(connection)
    this.log.push(`connect ${connection.id}`)
    const error = this.onConnectError?.(this.connects.length)
    if (error !== undefined) throw error
    for (let i = 1; i <= this.subscriptions; i++) {
      await connection.send({ op: 'subscribe', n: i })
      this.subscribeSentAt.push(Date.now())
    }
    this.log.push(`connected ${connection.id}`)
  }

  protected parseMessage(raw: string, context: FrameContext): TestRecord[] {
    const message = JSON.parse(raw) as Record<string, unknown>
    if (message.fail === true) {
      this.fail(new Error(`exchange rejected: ${String(message.reason)}`))
      return []
    }
    return [{ ...message, connection: context.connection.id }]
  }

  protected override onDisconnect(connection: Connection, reason: string): void {
    this.disconnects.push({ connection, reason })
    this.log.push(`disconnect ${connection.id}`)
  }

  protected override onReplacementFailed(connection: Connection, reason: string): void {
    this.replacementsFailed.push({ connection: connection.id, reason })
    this.log.push(`replacementFailed ${connection.id}`)
  }

  protected override onRotated(previous: Connection, next: Connection): void {
    this.rotated.push({ previous: previous.id, next: next.id })
  }

  /** Also returns a `{ rotationComplete: previous id }` record, to check its place among the frames. */
  protected override onRotationComplete(previous: Connection, next: Connection): TestRecord[] {
    this.completed.push({ previous: previous.id, next: next.id })
    this.log.push(`complete ${previous.id}->${next.id}`)
    return [{ rotationComplete: previous.id, connection: next.id }]
  }

  protected override sendHeartbeat(connection: Connection): void {
    this.heartbeats++
    super.sendHeartbeat(connection)
  }

  /** Exposes the protected hooks to tests. */
  pushRecord(record: TestRecord): void {
    this.deliver(record, (input: TestRecord, _context: InputContext) => [input])
  }

  forceReconnect(slot: number, reason: string): void {
    this.reconnect(slot, reason)
  }

  /** Rotates the newest socket of `slot` that completed onConnect. */
  forceRotate(slot: number, reason: string): void {
    const connection = this.connects.filter((c) => c.slot === slot).at(-1)
    if (connection !== undefined) this.rotate(connection, reason)
  }
}

/** A logger that keeps every entry. */
export function memoryLogger(): Logger & { entries: { level: string; message: string; context?: Record<string, unknown> }[] } {
  const entries: { level: string; message: string; context?: Record<string, unknown> }[] = []
  const at =
    (level: string) =>
    (message: string, context?: Record<string, unknown>): void => {
      entries.push({ level, message, context })
    }
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/**
 * Resolves once `predicate()` holds, checking every few ms; rejects after
 * `timeoutMs` (a generous bound: the condition is expected long before).
 */
export function eventually(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const check = (): void => {
      if (predicate()) resolve()
      else if (Date.now() - started > timeoutMs) reject(new Error(`condition not met within ${timeoutMs} ms`))
      else setTimeout(check, 2)
    }
    check()
  })
}

/** Reads `count` items from `iterator`. */
export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const out: T[] = []
  while (out.length < count) {
    const result = await iterator.next()
    if (result.done === true) break
    out.push(result.value)
  }
  return out
}

/** Options that keep socket tests fast: short backoff, no heartbeat unless asked. */
export const FAST: WebSocketOptions = {
  initialBackoffMs: 10,
  maxBackoffMs: 40,
  pingIntervalMs: 0,
  closeTimeoutMs: 300,
}

/**
 * After the client's first message, `connection` sends `{ seq }` (0, 1, 2, …) every 5 ms
 * until it closes. The intervals go into `timers` so the test can clear them.
 */
export function tickAfterSubscribe(connection: FakeConnection, timers: ReturnType<typeof setInterval>[]): void {
  void connection.waitForMessage().then(() => {
    let seq = 0
    const ticker = setInterval(() => {
      if (!connection.isOpen) clearInterval(ticker)
      else connection.send({ seq: seq++ })
    }, 5)
    timers.push(ticker)
  }, () => {})
}
