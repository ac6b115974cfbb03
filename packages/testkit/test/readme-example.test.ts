// The README's FakeExchange example, kept runnable here so it cannot drift.
import { expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { FakeExchange, fixturePath, loadSession } from '../src/index.js'

it('runs the README example: replay a capture, serve its REST lines, drop the socket', async () => {
  const fx = await FakeExchange.start()
  const session = loadSession(fixturePath('spot-2021-10-12.jsonl'))
  fx.replay(session)
  fx.restFromSession(session)

  const ws = new WebSocket(`${fx.wsUrl}/stream`)
  let frames = 0
  ws.on('message', () => ++frames === 5 && fx.connections[0]!.terminate())
  const closeCode = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  await fx.waitForConnection(1)
  await fx.connections[0]!.closed
  expect(await closeCode).toBe(1006)
  expect(frames).toBeGreaterThanOrEqual(5)
  const depth = await fetch(`${fx.restUrl}/api/v3/depth?symbol=NKNUSDT&limit=1000`)
  expect(((await depth.json()) as { lastUpdateId: number }).lastUpdateId).toBe(499869752)
  await fx.close()
})
