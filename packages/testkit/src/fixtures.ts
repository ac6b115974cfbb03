/** Locates the real captures bundled in the package's `fixtures/` folder. */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// CJS builds have no import.meta.url; ESM has no __dirname. Source (src/) and the
// bundles (dist/, dist/conformance/) sit one or two levels below the package root.
const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url))
const fixturesDir = [join(here, '..', 'fixtures'), join(here, '..', '..', 'fixtures')].find((dir) =>
  existsSync(join(dir, 'LICENSE.cryptofeed')),
)

/**
 * Absolute path of a fixture bundled with `@dccd/testkit`:
 * `spot-2021-10-12.jsonl` (Binance spot) or `v2-2021-04-17.jsonl` (Kraken v2). See fixtures/README.md.
 *
 * @example loadSession(fixturePath('spot-2021-10-12.jsonl'))
 * @throws Error when no such fixture is bundled
 */
export function fixturePath(name: string): string {
  const path = fixturesDir === undefined ? undefined : join(fixturesDir, name)
  if (path === undefined || !existsSync(path)) throw new Error(`No bundled fixture named ${JSON.stringify(name)}`)
  return path
}
