import { spawn } from 'node:child_process'
import { watch } from 'node:fs'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileCheckpointStore, MemoryCheckpointStore } from '../src/index.js'
import type { CheckpointStore } from '../src/index.js'

let directory: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dccd-checkpoints-'))
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe.each([
  ['MemoryCheckpointStore', (): CheckpointStore => new MemoryCheckpointStore()],
  ['FileCheckpointStore', (): CheckpointStore => new FileCheckpointStore(join(directory, 'nested', 'dir'))],
])('%s', (_name, create) => {
  it('loads undefined for a key never saved', async () => {
    expect(await create().load('nope')).toBeUndefined()
  })

  it('round-trips JSON values and overwrites on save', async () => {
    const store = create()
    const value = { lastId: '123', seq: 42, ok: true, none: null, list: [1, 'two', { three: 3 }] }
    await store.save('binance/trades/BTCUSDT', value)
    expect(await store.load('binance/trades/BTCUSDT')).toEqual(value)
    await store.save('binance/trades/BTCUSDT', 7)
    expect(await store.load('binance/trades/BTCUSDT')).toBe(7)
  })

  it('keeps a saved value apart from later changes to the caller object', async () => {
    const store = create()
    const value = { ids: [1] }
    await store.save('k', value)
    value.ids.push(2)
    expect(await store.load('k')).toEqual({ ids: [1] })
  })

  it('keeps keys that differ only in separators and odd characters apart', async () => {
    const store = create()
    const keys = ['a/b', 'a%2Fb', 'a_b', 'a\\b', '../escape', 'kraken/book/BTC/USD']
    for (const [i, key] of keys.entries()) await store.save(key, i)
    for (const [i, key] of keys.entries()) expect(await store.load(key)).toBe(i)
  })

  it('ends with the last of many concurrent saves to one key', async () => {
    const store = create()
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.save('k', { i })))
    expect(await store.load('k')).toEqual({ i: 24 })
  })
})

describe('FileCheckpointStore', () => {
  it('stores keys with "/" as files inside its directory', async () => {
    const store = new FileCheckpointStore(directory)
    await store.save('../binance/trades/BTCUSDT', 1)
    expect(store.pathFor('../binance/trades/BTCUSDT').startsWith(directory)).toBe(true)
    expect(await readdir(directory)).toEqual([expect.stringMatching(/^[^/]+\.json$/)])
  })

  it('serialises concurrent saves so a load after them sees the last one and no temp file remains', async () => {
    const store = new FileCheckpointStore(directory)
    const saves = Array.from({ length: 20 }, (_, i) => store.save('k', { i, pad: 'x'.repeat(10_000 * i) }))
    const loaded = store.load('k') // issued while saves are in flight: waits for them
    await Promise.all(saves)
    expect(((await loaded) as { i: number }).i).toBe(19)
    expect(await readdir(directory)).toEqual([`k.json`])
  })

  it('shares a directory between two stores without mixing their writes', async () => {
    const a = new FileCheckpointStore(directory)
    const b = new FileCheckpointStore(directory)
    await Promise.all([a.save('k', { from: 'a', pad: 'a'.repeat(100_000) }), b.save('k', { from: 'b', pad: 'b'.repeat(100_000) })])
    const value = (await a.load('k')) as { from: string; pad: string }
    expect(value.pad).toBe(value.from.repeat(100_000))
  })

  it('lets a load succeed after a failed save, and reports the failure to the saver', async () => {
    const store = new FileCheckpointStore(directory)
    await store.save('k', 1)
    const failing = store.save('k', { id: 1n } as never) // BigInt: JSON.stringify throws
    expect(await store.load('k')).toBe(1)
    await expect(failing).rejects.toThrow(TypeError)
    await store.save('k', 2)
    expect(await store.load('k')).toBe(2)
  })

  it('rejects a save when the directory cannot be created', async () => {
    const file = join(directory, 'not-a-directory')
    await writeFile(file, 'x')
    await expect(new FileCheckpointStore(file).save('k', 1)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) })
  })

  it('ignores a torn temp file left by an earlier crash', async () => {
    const store = new FileCheckpointStore(directory)
    await store.save('binance/book/BTCUSDT', { lastUpdateId: 1 })
    await writeFile(`${store.pathFor('binance/book/BTCUSDT')}.999.1.tmp`, '{"lastUpdateId": 2, "pad": "tor')
    expect(await store.load('binance/book/BTCUSDT')).toEqual({ lastUpdateId: 1 })
    await store.save('binance/book/BTCUSDT', { lastUpdateId: 3 })
    expect(await new FileCheckpointStore(directory).load('binance/book/BTCUSDT')).toEqual({ lastUpdateId: 3 })
  })

  it('removes temp files of dead writers on its first save, and keeps those of live ones', async () => {
    const store = new FileCheckpointStore(directory)
    const target = store.pathFor('kraken/trades/BTC/USD')
    // 2^31 - 2 is above any Linux pid_max: certainly not running.
    const dead = `${target}.2147483646.7.tmp`
    const live = `${target}.${process.ppid}.3.tmp`
    const unrelated = join(directory, 'notes.tmp')
    for (const file of [dead, live, unrelated]) await writeFile(file, '{"torn')
    await store.save('kraken/trades/BTC/USD', { lastId: 5 })
    const names = await readdir(directory)
    expect(names.sort()).toEqual([live, target, unrelated].map((file) => file.slice(directory.length + 1)).sort())
    expect(await store.load('kraken/trades/BTC/USD')).toEqual({ lastId: 5 })
    expect(await store.removeStaleTemps()).toEqual([])
  })

  it('atomic checkpoint writes survive a crash mid-write', async () => {
    const key = 'binance/book/BTCUSDT'
    const store = new FileCheckpointStore(directory)
    const old = { marker: 'old', blob: 'o'.repeat(1000) }
    let crashesMidWrite = 0
    // A fast disk may finish a write before the kill lands; retry until one crash hits mid-write.
    for (let attempt = 0; attempt < 5 && crashesMidWrite === 0; attempt++) {
      await store.save(key, old)
      const outcome = await saveInChildAndKill(directory, key, 40)
      const loaded = (await new FileCheckpointStore(directory).load(key)) as { marker: string; blob: string }
      if (loaded.marker === 'old') {
        expect(loaded).toEqual(old)
      } else {
        expect(loaded.marker).toBe('new')
        expect(loaded.blob).toBe('n'.repeat(40_000_000))
      }
      const strays = (await readdir(directory)).filter((name) => name.endsWith('.tmp'))
      if (outcome === 'killed' && strays.length > 0) {
        crashesMidWrite++
        expect(loaded.marker).toBe('old')
        // The stray really is a torn write, shorter than the complete value.
        expect((await stat(join(directory, strays[0]!))).size).toBeLessThan(40_000_000)
      }
      for (const stray of strays) await rm(join(directory, stray))
    }
    expect(crashesMidWrite).toBe(1)
    await store.save(key, { marker: 'after' })
    expect(await store.load(key)).toEqual({ marker: 'after' })
  })
})

const fixture = fileURLToPath(new URL('./fixtures/crash-save.ts', import.meta.url))
const packageRoot = fileURLToPath(new URL('..', import.meta.url))

/** Runs the crash fixture; SIGKILLs it the moment it touches the directory (creating its temp file). */
function saveInChildAndKill(dir: string, key: string, megabytes: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, key, String(megabytes)], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const watcher = watch(dir, (_event, name) => {
      if (name) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      watcher.close()
      if (signal === 'SIGKILL') resolve('killed')
      else if (code === 0) resolve('finished')
      else reject(new Error(`crash fixture exited with ${code}: ${stderr}`))
    })
  })
}
