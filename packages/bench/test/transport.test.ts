import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { startServer } from '../src/transport/bench.js'
import { runBare, runOurs } from '../src/transport/clients.js'

describe('transport bench harness (small run, no timing assertions)', () => {
  let server: { child: ChildProcess; port: number }
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => {
    server.child.kill()
  })

  it('both clients read every flooded frame, stamped by the server', async () => {
    const url = `ws://127.0.0.1:${server.port}/?mode=flood&n=3000`
    for (const run of [await runOurs(url, 3000), await runBare(url, 3000)]) {
      expect(run.latenciesUs.length).toBe(3000)
      expect(run.recordsPerSecond).toBeGreaterThan(0)
    }
  })

  it('paced frames carry the send time, so latencies are positive and finite', async () => {
    const url = `ws://127.0.0.1:${server.port}/?mode=paced&n=200&rate=2000`
    for (const run of [await runOurs(url, 200), await runBare(url, 200)]) {
      expect(run.latenciesUs.every((us) => us > 0 && Number.isFinite(us))).toBe(true)
    }
  })
})
