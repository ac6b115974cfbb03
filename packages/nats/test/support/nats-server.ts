/**
 * A real `nats-server` with JetStream for tests (Debian's `nats-server`; `.ci/run` installs it): started on a free
 * port of 127.0.0.1 with a fresh store directory, ready once it accepts connections, stopped (and restartable on
 * the same port and store, for outage tests) by the test. No mock of NATS anywhere.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A running (or stopped) `nats-server -js`. */
export class NatsServer {
  #process: ChildProcess | undefined
  #log = ''

  private constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}

  /** Starts a server on a free port with a new store directory. */
  static async start(): Promise<NatsServer> {
    const server = new NatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'dccd-nats-')))
    await server.restart()
    return server
  }

  /** `nats://127.0.0.1:<port>` */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`
  }

  /** What the server printed (for failure messages). */
  get log(): string {
    return this.#log
  }

  /** Starts it again on the same port and store (after {@link stop}); resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.#process !== undefined) throw new Error('nats-server is running already')
    const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.#process = child
    // nats-server logs "Server is ready" once its client listener accepts connections.
    // Only this run's output counts: the log of an earlier run says "Server is ready" already.
    const from = this.#log.length
    const ready = new Promise<void>((resolve) => {
      const record = (chunk: Buffer): void => {
        this.#log += chunk.toString()
        if (this.#log.includes('Server is ready', from)) resolve()
      }
      child.stdout!.on('data', record)
      child.stderr!.on('data', record)
    })
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start nats-server (is it installed? .ci/run installs it): ${error.message}`)))
      child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}:\n${this.#log}`)))
    })
    await Promise.race([ready, failed])
  }

  /** Stops it (SIGTERM, then waits for the exit); the store stays for {@link restart}. */
  async stop(): Promise<void> {
    const child = this.#process
    if (child === undefined) return
    this.#process = undefined
    if (child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    await exited
  }

  /** Stops it and removes the store. */
  async close(): Promise<void> {
    await this.stop()
    rmSync(this.storeDir, { recursive: true, force: true })
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
