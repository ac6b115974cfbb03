import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { conformanceClauses } from '@dccd/testkit/conformance'
import type { ExchangeAdapter } from '@dccd/core'
import { afterAll, describe, expect, it } from 'vitest'
import { scaffold } from '../index.js'

// Generated below this package, so the new adapter resolves @dccd/* through
// this package's node_modules exactly as a workspace package would.
const root = fileURLToPath(new URL('./.generated/', import.meta.url))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('create-exchange', () => {
  rmSync(root, { recursive: true, force: true })
  // The generated tsconfig extends ../../tooling/tsconfig/base.json, as in the repo.
  cpSync(fileURLToPath(new URL('../../tsconfig/base.json', import.meta.url)), join(root, 'tooling/tsconfig/base.json'))
  const files = scaffold({ root, id: 'toyx', name: 'Toy X' })
  const packageDir = join(root, 'packages', 'toyx')

  it('writes a complete adapter package with the names filled in', () => {
    for (const file of ['package.json', 'README.md', 'src/feed.ts', 'src/exchange.ts', 'test/conformance.test.ts']) {
      expect(files).toContain(join('packages', 'toyx', file))
    }
    for (const file of files) expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/__(ID|NAME|CLASS)__/)
    expect(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).name).toBe('@dccd/toyx')
    expect(readFileSync(join(packageDir, 'src/feed.ts'), 'utf8')).toContain('class ToyXFeed extends WebSocketBase')
  })

  it('refuses a bad id and an existing package, naming the problem', () => {
    expect(() => scaffold({ root, id: 'Bad-Id', name: 'Bad' })).toThrow(/"Bad-Id"/)
    expect(() => scaffold({ root, id: 'toyx', name: 'Toy X' })).toThrow(/packages\/toyx already exists/)
    expect(existsSync(join(root, 'packages', 'bad-id'))).toBe(false)
  })

  // The promise of the scaffold: a new exchange is a subclass, a parser, a
  // fixture set and the shared conformance suite — and it passes as generated.
  describe('the generated adapter passes the conformance suite', async () => {
    const { exchange } = (await import(join(packageDir, 'src/index.ts'))) as { exchange: ExchangeAdapter }
    const clauses = conformanceClauses(exchange, {
      session: join(packageDir, 'test/fixtures/session.replay.jsonl'),
      symbols: ['BTCUSDT'],
      unknownSymbol: 'NOPEUSDT',
      malformedSymbol: 'btc usdt',
    })
    for (const clause of clauses) {
      if (clause.skip !== undefined) continue
      it(clause.title, () => clause.run())
    }
  })
})
