import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverAdapters, findAdapter, isExchangeAdapter, packageEntry } from '../src/discovery.js'
import { fakexProject, isolated } from './helpers/fakex.js'

describe('adapter discovery', () => {
  it('finds an adapter installed as node_modules/@dccd/<id> with no change to the CLI', async () => {
    const cwd = fakexProject()
    const found = await discoverAdapters(isolated(cwd))
    expect(found.map((f) => [f.adapter.id, f.packageName])).toEqual([['fakex', '@dccd/fakex']])
    expect(found[0]!.adapter.barIntervals).toEqual(['1m'])
  })

  it('ignores @dccd packages without a valid exchange export and ones that fail to load', async () => {
    const cwd = fakexProject()
    const scope = join(cwd, 'node_modules', '@dccd')
    mkdirSync(join(scope, 'utils'), { recursive: true })
    writeFileSync(join(scope, 'utils', 'package.json'), JSON.stringify({ name: '@dccd/utils', type: 'module', main: 'index.js' }))
    writeFileSync(join(scope, 'utils', 'index.js'), 'export const exchange = { id: "Bad Id", name: "x" }')
    mkdirSync(join(scope, 'broken'), { recursive: true })
    writeFileSync(join(scope, 'broken', 'package.json'), JSON.stringify({ name: '@dccd/broken', type: 'module', main: 'index.js' }))
    writeFileSync(join(scope, 'broken', 'index.js'), 'throw new Error("boom")')
    const found = await discoverAdapters(isolated(cwd))
    expect(found.map((f) => f.adapter.id)).toEqual(['fakex'])
  })

  it('lists every adapter of a package that exports several (exchanges), and finds one by id through the package prefix', async () => {
    const cwd = fakexProject()
    const directory = join(cwd, 'node_modules', '@dccd', 'multi')
    mkdirSync(directory, { recursive: true })
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: '@dccd/multi', type: 'module', main: 'index.js' }))
    const adapter = (id: string): string => `{ id: "${id}", name: "${id}", channels: ["trades"], barIntervals: [], createFeed() {} }`
    writeFileSync(
      join(directory, 'index.js'),
      `export const exchange = ${adapter('multi')}\n` +
        `export const exchanges = [exchange, ${adapter('multi-futures')}, ${adapter('multi-delivery')}, { id: "Bad Id" }]\n`,
    )
    const found = await discoverAdapters(isolated(cwd))
    expect(found.map((f) => [f.adapter.id, f.packageName])).toEqual([
      ['fakex', '@dccd/fakex'],
      ['multi', '@dccd/multi'],
      ['multi-delivery', '@dccd/multi'],
      ['multi-futures', '@dccd/multi'],
    ])
    await expect(findAdapter('multi-futures', isolated(cwd))).resolves.toMatchObject({ id: 'multi-futures' })
    await expect(findAdapter('multi-options', isolated(cwd))).rejects.toThrow(
      'unknown exchange "multi-options"; installed: fakex, multi, multi-delivery, multi-futures',
    )
  })

  it('findAdapter names the unknown id and the installed ones', async () => {
    const cwd = fakexProject()
    await expect(findAdapter('nosuchx', isolated(cwd))).rejects.toThrow('unknown exchange "nosuchx"; installed: fakex')
    await expect(findAdapter('nosuchx', isolated(cwd))).rejects.toMatchObject({ code: 'DCCD_USAGE' })
    await expect(findAdapter('fakex', isolated(cwd))).resolves.toMatchObject({ id: 'fakex', name: 'Fake Exchange' })
  })

  it('finds the adapter packages installed beside the CLI, plus those of the working directory', async () => {
    const found = await discoverAdapters({ cwd: fakexProject() })
    const ids = found.map((f) => [f.adapter.id, f.packageName])
    // A list that grows with every adapter added to the workspace: a new package must not need an edit here.
    expect(ids).toEqual(
      expect.arrayContaining([
        ['binance', '@dccd/binance'],
        ['binance-delivery', '@dccd/binance'],
        ['binance-futures', '@dccd/binance'],
        ['fakex', '@dccd/fakex'],
        ['kraken', '@dccd/kraken'],
        ['okx', '@dccd/okx'],
      ]),
    )
    expect(ids.map(([id]) => id)).toEqual(ids.map(([id]) => id).sort())
    for (const f of found) expect(isExchangeAdapter(f.adapter)).toBe(true)
  })

  it('finds an adapter that only sits in a workspace package folder (a clone with a new packages/<id>)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dccd-workspace-'))
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - "packages/*"\n  - "tooling/*"\n')
    const target = join(root, 'packages', 'fakex')
    mkdirSync(target, { recursive: true })
    cpSync(new URL('./fixtures/fakex/', import.meta.url), target, { recursive: true })
    // A workspace package that is not a dccd package, and one whose name does not match its folder, are ignored.
    mkdirSync(join(root, 'packages', 'other'), { recursive: true })
    writeFileSync(join(root, 'packages', 'other', 'package.json'), JSON.stringify({ name: 'other', main: 'index.js' }))
    mkdirSync(join(root, 'packages', 'misnamed'), { recursive: true })
    writeFileSync(join(root, 'packages', 'misnamed', 'package.json'), JSON.stringify({ name: '@dccd/fakex', main: 'index.js' }))
    const cwd = join(root, 'packages', 'fakex')
    const found = await discoverAdapters({ cwd, cliDirectory: join(root, 'cli-home') })
    expect(found.map((f) => [f.adapter.id, f.directory])).toEqual([['fakex', target]])
  })

  it('resolves package entries through the exports map by condition', () => {
    const cwd = fakexProject()
    const dir = join(cwd, 'pkg')
    mkdirSync(join(dir, 'dist'), { recursive: true })
    writeFileSync(join(dir, 'dist', 'index.js'), '')
    writeFileSync(join(dir, 'dist', 'index.cjs'), '')
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ exports: { '.': { '@dccd/source': './src/index.ts', import: { types: './x.d.ts', default: './dist/index.js' }, require: './dist/index.cjs' } } }),
    )
    expect(packageEntry(dir, ['node', 'import'])).toBe(join(dir, 'dist', 'index.js'))
    expect(packageEntry(dir, ['@dccd/source', 'node', 'import'])).toBeUndefined() // src/index.ts missing
  })
})
