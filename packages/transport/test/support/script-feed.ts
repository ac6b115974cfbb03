/**
 * A feed for the handover and lifecycle tests: frames are plain tokens the
 * fake exchange sends (`a1`, `b2`…), each parsed into itself, and the
 * connection hooks return marker records (`start#1`, `lost#1`,
 * `complete#1->2`), so a test states the whole stream as one list of strings.
 */
import { WebSocketBase } from '../../src/index.js'
import type { Connection, FrameContext, InputContext, WebSocketOptions } from '../../src/index.js'

export class ScriptFeed extends WebSocketBase<string> {
  /** Hook calls in order: `streamStart 1`, `connect 1`, `subscribed 1`, `parse a1`, `disconnect 1`, `replacementFailed 2`, `rotated 1->2`, `complete 1->2`. */
  readonly log: string[] = []
  /** Every socket that reached `onConnect`, by id. */
  readonly connections = new Map<number, Connection>()
  readonly #gates = new Map<number, { promise: Promise<void>; open: () => void }>()

  constructor(url: string | readonly string[], options?: WebSocketOptions) {
    super(url, options)
  }

  /** Socket `id`'s `onConnect` will wait, after sending its subscribe frame, until {@link finishConnect}. */
  holdConnect(id: number): void {
    let open!: () => void
    const promise = new Promise<void>((resolve) => (open = resolve))
    this.#gates.set(id, { promise, open })
  }

  finishConnect(id: number): void {
    this.#gates.get(id)?.open()
  }

  /** The tokens parsed so far, in order (what `parseMessage` saw, not what the consumer read yet). */
  get parsed(): string[] {
    return this.log.filter((l) => l.startsWith('parse ')).map((l) => l.slice('parse '.length))
  }

  /** The feed's lifecycle signal. */
  get lifecycle(): AbortSignal {
    return this.signal
  }

  rotateConnection(id: number, reason: string): void {
    this.rotate(this.connections.get(id)!, reason)
  }

  deliverInput<X>(input: X, parse: (input: X, context: InputContext) => Iterable<string> | undefined | void): void {
    this.deliver(input, parse)
  }

  failWith(error: Error): void {
    this.fail(error)
  }

  protected override onStreamStart(connection: Connection): Iterable<string> | void {
    this.log.push(`streamStart ${connection.id}`)
    return [`start#${connection.id}`]
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    this.connections.set(connection.id, connection)
    this.log.push(`connect ${connection.id}`)
    await connection.send('subscribe')
    await this.#gates.get(connection.id)?.promise
    this.log.push(`subscribed ${connection.id}`)
  }

  protected parseMessage(raw: string, _context: FrameContext): string[] {
    this.log.push(`parse ${raw}`)
    return [raw]
  }

  protected override onDisconnect(connection: Connection, _reason: string): Iterable<string> | void {
    this.log.push(`disconnect ${connection.id}`)
    return [`lost#${connection.id}`]
  }

  protected override onReplacementFailed(connection: Connection, _reason: string): void {
    this.log.push(`replacementFailed ${connection.id}`)
  }

  protected override onRotated(previous: Connection, next: Connection): void {
    this.log.push(`rotated ${previous.id}->${next.id}`)
  }

  protected override onRotationComplete(previous: Connection, next: Connection): Iterable<string> | void {
    this.log.push(`complete ${previous.id}->${next.id}`)
    return [`complete#${previous.id}->${next.id}`]
  }
}

/** Reads `feed.stream()` in the background into the returned array. */
export function collect(feed: WebSocketBase<string>): string[] {
  const seen: string[] = []
  const records = feed.stream()
  void (async () => {
    for await (const record of records) seen.push(record)
  })().catch(() => {})
  return seen
}
