// kill -9 the real sink-to-files process mid-stream, twice, then finish: every trade is in the files once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listDataFiles } from '@dccd/recorder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/index.js'
import { NatsServer } from '../../nats/test/support/nats-server.js'
import { consumerState, generateSession, publishEvents, streamClient } from '../../nats/test/support/session.js'
import { journaledIds, recordedRows, repeated } from './helpers/journal.js'
import { startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

let server: NatsServer
let cwd: string

beforeAll(async () => {
  server = await NatsServer.start()
  cwd = mkdtempSync(join(tmpdir(), 'dccd-sink-crash-'))
})
afterAll(async () => {
  await server.close()
  rmSync(cwd, { recursive: true, force: true })
})

describe('sink-to-files crash (end to end)', { timeout: 60_000 }, () => {
  it('a writer killed with -9 and started again leaves every trade in the files exactly once', async () => {
    const { nc, js } = await streamClient(server.url)
    const data = join(cwd, 'data')
    const args = ['sink-to-files', '--from', server.url, '--out', 'data', '--format', 'jsonl', '--batch', '20', '--rotate', '300ms']
    const parts = [0, 1].map((k) => generateSession({ symbols: ['BTCUSDT'], trades: 1000, firstId: 1 + 1000 * k, start: 1_764_547_200_000_000 + k * 3_600_000_000 }))
    for (const part of parts) {
      await publishEvents(js, part)
      const child = startDccd(args, cwd)
      await child.waitForOutput('dccd: writing stream DCCD')
      const before = listDataFiles(data).length
      // Killed with trades in the journal that no acknowledgement covers yet, or right after a rotation sealed some.
      await until(() => journaledIds(data).length >= 200 || listDataFiles(data).length > before, 'trades in the journal')
      child.child.kill('SIGKILL')
      expect((await child.finished).signal).toBe('SIGKILL')
      const left = await consumerState(nc, 'DCCD', 'dccd-files')
      expect(left!.ackPending + left!.pending).toBeGreaterThan(0) // it died mid-stream
    }
    let stderr = ''
    const io = { out: () => {}, err: (text: string) => void (stderr += text), errIsTTY: false, outIsTTY: false }
    expect(await main([...args.map((a) => (a === 'data' ? data : a)), '--drain'], { io })).toBe(0)
    const ids = (await recordedRows(data, 'trades')).map((row) => String(row.id))
    expect(repeated(ids)).toEqual(new Map())
    expect(ids.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1))
    expect(await consumerState(nc, 'DCCD', 'dccd-files')).toMatchObject({ ackPending: 0, pending: 0 })
    await nc.close()
  })
  it('Ctrl-C seals every file and exits 0, with everything it wrote acknowledged', async () => {
    const { nc, js } = await streamClient(server.url)
    const events = generateSession({ symbols: ['ETHUSDT'], trades: 300 })
    await publishEvents(js, events)
    const data = join(cwd, 'sigint')
    const child = startDccd(['sink-to-files', '--from', server.url, '--out', 'sigint', '--format', 'jsonl'], cwd)
    await child.waitForOutput('dccd: writing stream DCCD')
    await until(() => journaledIds(data).length >= 300, 'every trade in the journal')
    child.child.kill('SIGINT')
    const finished = await child.finished
    expect(finished.code).toBe(0)
    expect(finished.stderr).toContain('stopping; sealing files')
    expect((await recordedRows(data, 'trades')).map((row) => row.id)).toEqual(events.filter((e) => e.type === 'trade').map((t) => t.id))
    expect(journaledIds(data)).toEqual([])
    expect(await consumerState(nc, 'DCCD', 'dccd-files')).toMatchObject({ ackPending: 0, pending: 0 })
    await nc.close()
  })
})
