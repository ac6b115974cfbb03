// Imports every published package's built dist, both as ESM and as CJS, the way
// a user's project would: through the package name and its exports map, without
// the private "@dccd/source" condition. Fails if a build is missing or broken.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = new URL('../../', import.meta.url).pathname
const packagesDir = join(root, 'packages')
// Packages that are not exchange adapters; every other package must export `exchange`.
const NOT_ADAPTERS = new Set(['cli', 'core', 'nats', 'recorder', 'testkit', 'transport'])
let failures = 0

for (const dir of readdirSync(packagesDir)) {
  const manifestPath = join(packagesDir, dir, 'package.json')
  if (!existsSync(manifestPath)) continue
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  if (manifest.private) continue
  const require = createRequire(manifestPath)
  for (const subpath of Object.keys(manifest.exports ?? {})) {
    if (subpath.endsWith('package.json')) continue
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
    const entry = manifest.exports[subpath]
    try {
      // Either conditional ({ import, require }) or flat ({ types, default }) entries.
      const esmFile = entry.import?.default ?? entry.default
      const typesFile = entry.import?.types ?? entry.types
      const esm = await import(pathToFileURL(join(packagesDir, dir, esmFile)).href)
      // CJS is optional per entry (e.g. the conformance suite: vitest cannot be require()d).
      const cjs = entry.require ? require(join(packagesDir, dir, entry.require.default)) : esm
      const names = Object.keys(esm)
      if (names.length === 0 || Object.keys(cjs).length === 0) throw new Error('no exports')
      if (!NOT_ADAPTERS.has(dir) && subpath === '.' && !esm.exchange) {
        throw new Error('adapter package does not export `exchange`')
      }
      if (!existsSync(join(packagesDir, dir, typesFile))) throw new Error('missing type declarations')
      console.log(`ok   ${specifier} (${names.length} exports, ESM${entry.require ? ' + CJS' : ''} + .d.ts)`)
    } catch (error) {
      failures++
      console.error(`FAIL ${specifier}: ${error instanceof Error ? error.message : error}`)
    }
  }
}
process.exit(failures === 0 ? 0 : 1)
