import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { conformanceClauses } from '@dccd/testkit/conformance'
import type { ConformanceOptions } from '@dccd/testkit/conformance'
import type { ExchangeAdapter } from '@dccd/core'
import { afterAll, describe, expect, it } from 'vitest'
import { scaffold } from '../index.js'

// Generated below this package, so the new adapter resolves @dccd/* through
// this package's node_modules exactly as a workspace package would.
const root = fileURLToPath(new URL('./.generated/', import.meta.url))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const require = createRequire(import.meta.url)

/** The one adapter shape every dccd adapter has (CONTRIBUTING, "Adapter anatomy"). */
const SHAPE = [
  'src/capabilities.ts',
  'src/options.ts',
  'src/subscriptions.ts',
  'src/wire.ts',
  'src/parse.ts',
  'src/book-sync.ts',
  'src/trades.ts',
  'src/rest.ts',
  'src/feed.ts',
  'src/exchange.ts',
  'src/index.ts',
]

describe('create-exchange', () => {
  rmSync(root, { recursive: true, force: true })
  // The generated tsconfig extends ../../tooling/tsconfig/base.json, as in the repo.
  cpSync(fileURLToPath(new URL('../../tsconfig/base.json', import.meta.url)), join(root, 'tooling/tsconfig/base.json'))
  const files = scaffold({ root, id: 'toyx', name: 'Toy X' })
  const packageDir = join(root, 'packages', 'toyx')

  it('writes the adapter shape Binance and Kraken have, with the names filled in', () => {
    for (const file of [...SHAPE, 'package.json', 'README.md', 'test/conformance.test.ts', 'test/conformance.options.ts', 'test/index.test.ts', 'test/fixtures/session.replay.jsonl', 'examples/trades.ts']) {
      expect(files).toContain(join('packages', 'toyx', file))
    }
    for (const file of SHAPE) expect(existsSync(fileURLToPath(new URL(`../../../packages/binance/${file}`, import.meta.url))), `binance ${file}`).toBe(true)
    for (const file of SHAPE) expect(existsSync(fileURLToPath(new URL(`../../../packages/kraken/${file}`, import.meta.url))), `kraken ${file}`).toBe(true)
    for (const file of files) expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/__(ID|NAME|CLASS|PASCAL)__/)
    expect(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).name).toBe('@dccd/toyx')
    expect(readFileSync(join(packageDir, 'src/feed.ts'), 'utf8')).toContain('class ToyXFeed extends MarketFeed')
  })

  it("pins the generated package's public surface in its own test, matching what src/index.ts exports", async () => {
    const api = (await import(join(packageDir, 'src/index.ts'))) as Record<string, unknown>
    const pinned = readFileSync(join(packageDir, 'test/index.test.ts'), 'utf8')
    for (const name of Object.keys(api)) expect(pinned).toContain(`'${name}'`)
    expect(Object.keys(api).sort()).toEqual(['BookSync', 'ToyXFeed', 'exchange', 'parseFrame'])
  })

  it('refuses a bad id and an existing package, naming the problem', () => {
    expect(() => scaffold({ root, id: 'Bad-Id', name: 'Bad' })).toThrow(/"Bad-Id"/)
    expect(() => scaffold({ root, id: 'toyx', name: 'Toy X' })).toThrow(/packages\/toyx already exists/)
    expect(existsSync(join(root, 'packages', 'bad-id'))).toBe(false)
  })

  it('typechecks and builds as generated (tsc, then tsup to ESM, CJS and .d.ts)', { timeout: 120_000 }, () => {
    const tsc = require.resolve('typescript/bin/tsc')
    execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.json')], { cwd: packageDir, stdio: 'pipe' })
    const tsup = join(fileURLToPath(new URL('../../../node_modules/.bin/', import.meta.url)), 'tsup')
    execFileSync(tsup, [], { cwd: packageDir, stdio: 'pipe' })
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']) expect(existsSync(join(packageDir, file)), file).toBe(true)
  })

  // The promise of the scaffold: a new exchange is a subclass, a parser, a
  // fixture set and the shared conformance suite — and it passes as generated,
  // continuity clauses included (only rotation is a named skip: it does not rotate).
  describe('the generated adapter passes the conformance suite', async () => {
    const { exchange } = (await import(join(packageDir, 'src/index.ts'))) as { exchange: ExchangeAdapter }
    // The options the generated conformance.test.ts runs the suite with.
    const { conformanceOptions } = (await import(join(packageDir, 'test/conformance.options.ts'))) as { conformanceOptions: ConformanceOptions }
    const clauses = conformanceClauses(exchange, conformanceOptions)
    it('skips only the clauses its descriptor or rules rule out', () => {
      expect(clauses.filter((c) => c.skip !== undefined).map((c) => c.title)).toEqual([
        expect.stringMatching(/bar interval/),
        expect.stringMatching(/rotation/),
      ])
    })
    for (const clause of clauses) {
      if (clause.skip !== undefined) continue
      it(clause.title, () => clause.run(), 60_000)
    }
  })
})
