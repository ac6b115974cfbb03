/**
 * Finds exchange adapters without a central list: every installed `@dccd/*`
 * package that exports a valid `exchange` descriptor (and each valid entry of
 * an `exchanges` array, for a package covering several markets) is an adapter. So
 * installing `@dccd/<id>` next to the CLI (or in the current project) makes
 * `dccd record <id>` work with no change to the CLI. Run from the dccd
 * repository, the workspace's own packages count too, so an adapter just
 * scaffolded in `packages/<id>` is found before anything depends on it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ExchangeAdapter } from '@dccd/core'
import { UsageError } from './errors.js'

/** An adapter found on disk. */
export interface DiscoveredAdapter {
  readonly adapter: ExchangeAdapter
  /** Package name (`@dccd/binance`). */
  readonly packageName: string
  /** Package directory. */
  readonly directory: string
}

/** Where to look: the CLI's own install and the working directory (each with its ancestors). */
export interface DiscoveryOptions {
  /** Default: `process.cwd()`. */
  cwd?: string
  /** Directory of the CLI package. Default: derived from this module's location. */
  cliDirectory?: string
  /** Export conditions used to pick each package's entry. Default: node, import, default (+ `@dccd/source` when running from source). */
  conditions?: readonly string[]
}

// Packages of this family that are never adapters; skipping them saves imports, nothing more.
const NOT_ADAPTERS = new Set(['bench', 'cli', 'core', 'recorder', 'transport', 'testkit', 'tsconfig', 'tsup-config', 'vitest-config'])

const here = fileURLToPath(import.meta.url)
const runningFromSource = here.endsWith('.ts')

/** `node_modules/@dccd` folders visible from `start` and its ancestors, nearest first. */
function scopeDirectories(start: string): string[] {
  const found: string[] = []
  let dir = resolve(start)
  for (;;) {
    const scope = join(dir, 'node_modules', '@dccd')
    if (existsSync(scope)) found.push(scope)
    const parent = dirname(dir)
    if (parent === dir) return found
    dir = parent
  }
}

/**
 * The package folders of the pnpm workspace `start` lies in: each `dir/*` pattern of the nearest
 * `pnpm-workspace.yaml` above it, expanded. Only `@dccd/*` packages matter here; other names are
 * filtered by the caller. Empty outside a workspace.
 */
function workspaceDirectories(start: string): string[] {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const file = join(dir, 'pnpm-workspace.yaml')
    if (existsSync(file)) {
      // The `packages:` list as dccd writes it (`- "packages/*"`); other glob forms are not expanded.
      const patterns = [...readFileSync(file, 'utf8').matchAll(/^\s*-\s*["']?([^"'\s*]+)\/\*["']?\s*$/gm)].map((m) => m[1]!)
      return patterns.map((pattern) => join(dir, pattern)).filter((folder) => existsSync(folder))
    }
    if (dirname(dir) === dir) return []
  }
}

/** The `@dccd/<name>` packages directly under `folder`: folder name → package directory. */
function dccdPackagesIn(folder: string, scoped: boolean): [string, string][] {
  const found: [string, string][] = []
  for (const name of readdirSync(folder)) {
    const directory = join(folder, name)
    const manifest = join(directory, 'package.json')
    if (name.startsWith('.') || !existsSync(manifest)) continue
    if (!scoped) {
      // A workspace folder: only packages that say they are @dccd/<folder name>.
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name !== `@dccd/${name}`) continue
      } catch {
        continue
      }
    }
    found.push([name, directory])
  }
  return found
}

/**
 * Candidate adapter packages, keyed by folder name; the first location wins: the working
 * directory's `node_modules/@dccd`, then the workspace packages (from a clone), then the CLI's own.
 */
export function candidatePackages(options: DiscoveryOptions = {}): Map<string, string> {
  const cliDirectory = options.cliDirectory ?? resolve(dirname(here), '..')
  const cwd = options.cwd ?? process.cwd()
  const places: [folder: string, scoped: boolean][] = [
    ...scopeDirectories(cwd).map((scope): [string, boolean] => [scope, true]),
    ...[...new Set([...workspaceDirectories(cwd), ...workspaceDirectories(cliDirectory)])].map((folder): [string, boolean] => [folder, false]),
    ...scopeDirectories(cliDirectory).map((scope): [string, boolean] => [scope, true]),
  ]
  const candidates = new Map<string, string>()
  for (const [folder, scoped] of places) {
    for (const [name, directory] of dccdPackagesIn(folder, scoped)) {
      if (!NOT_ADAPTERS.has(name) && !candidates.has(name)) candidates.set(name, directory)
    }
  }
  return candidates
}

/** Resolves an `exports` target for the given conditions (the subset of Node's algorithm packages use). */
function resolveTarget(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target
  if (Array.isArray(target)) {
    for (const item of target) {
      const hit = resolveTarget(item, conditions)
      if (hit !== undefined) return hit
    }
    return undefined
  }
  if (target !== null && typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (key === 'default' || conditions.includes(key)) {
        const hit = resolveTarget(value, conditions)
        if (hit !== undefined) return hit
      }
    }
  }
  return undefined
}

/** The file `import('<package>')` would load, by its package.json. */
export function packageEntry(directory: string, conditions: readonly string[]): string | undefined {
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
    exports?: unknown
    module?: string
    main?: string
  }
  let target: string | undefined
  if (manifest.exports !== undefined) {
    const exportsField = manifest.exports as Record<string, unknown>
    const root =
      typeof exportsField === 'object' && exportsField !== null && '.' in exportsField ? exportsField['.'] : exportsField
    target = resolveTarget(root, conditions)
  } else {
    target = manifest.module ?? manifest.main ?? 'index.js'
  }
  if (target === undefined) return undefined
  const file = join(directory, target)
  return existsSync(file) ? file : undefined
}

/** Structural check of an `exchange` export, so a broken package cannot crash the CLI later. */
export function isExchangeAdapter(value: unknown): value is ExchangeAdapter {
  if (value === null || typeof value !== 'object') return false
  const candidate = value as Record<string, unknown>
  return (
    typeof candidate.id === 'string' &&
    /^[a-z0-9][a-z0-9-]*$/.test(candidate.id) &&
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.channels) &&
    Array.isArray(candidate.barIntervals) &&
    typeof candidate.createFeed === 'function'
  )
}

function defaultConditions(): string[] {
  return runningFromSource ? ['@dccd/source', 'node', 'import'] : ['node', 'import']
}

/**
 * The adapters a package exports: `exchange`, and every valid entry of
 * `exchanges` (a package covering several markets of one venue).
 */
async function load(name: string, directory: string, conditions: readonly string[]): Promise<DiscoveredAdapter[]> {
  const entry = packageEntry(directory, conditions)
  if (entry === undefined) return []
  try {
    const module = (await import(pathToFileURL(entry).href)) as { exchange?: unknown; exchanges?: unknown }
    const candidates = [module.exchange, ...(Array.isArray(module.exchanges) ? (module.exchanges as unknown[]) : [])]
    const adapters = candidates.filter(isExchangeAdapter)
    return [...new Set(adapters)].map((adapter) => ({ adapter, packageName: `@dccd/${name}`, directory }))
  } catch {
    // A package that fails to load is not an adapter we can use; `dccd exchanges` simply omits it.
    return []
  }
}

/** `binance-futures` → `binance-futures`, `binance`: the packages that may export the adapter, likeliest first. */
function packageNamesFor(id: string): string[] {
  const names = [id]
  for (let cut = id.lastIndexOf('-'); cut > 0; cut = id.lastIndexOf('-', cut - 1)) names.push(id.slice(0, cut))
  return names
}

/** Every installed adapter, sorted by id. */
export async function discoverAdapters(options: DiscoveryOptions = {}): Promise<DiscoveredAdapter[]> {
  const conditions = options.conditions ?? defaultConditions()
  const loaded = await Promise.all(
    [...candidatePackages(options)].map(([name, directory]) => load(name, directory, conditions)),
  )
  const byId = new Map<string, DiscoveredAdapter>()
  for (const found of loaded.flat()) if (!byId.has(found.adapter.id)) byId.set(found.adapter.id, found)
  return [...byId.values()].sort((a, b) => a.adapter.id.localeCompare(b.adapter.id))
}

/**
 * The adapter for `id`. Loads only `@dccd/<id>` when it is there; scans
 * everything only to build the error message.
 *
 * @throws UsageError `unknown exchange "x"; installed: binance, kraken`
 */
export async function findAdapter(id: string, options: DiscoveryOptions = {}): Promise<ExchangeAdapter> {
  const conditions = options.conditions ?? defaultConditions()
  if (/^[a-z0-9][a-z0-9-]*$/.test(id)) {
    // `@dccd/<id>`, else the package named like its prefix (`binance-futures` is exported by `@dccd/binance`).
    const packages = candidatePackages(options)
    for (const name of packageNamesFor(id)) {
      const directory = packages.get(name)
      if (directory === undefined) continue
      const found = (await load(name, directory, conditions)).find((candidate) => candidate.adapter.id === id)
      if (found !== undefined) return found.adapter
    }
  }
  const all = await discoverAdapters({ ...options, conditions })
  const match = all.find((found) => found.adapter.id === id)
  if (match !== undefined) return match.adapter
  const installed = all.map((found) => found.adapter.id)
  throw new UsageError(
    `unknown exchange ${JSON.stringify(id)}; installed: ${installed.length > 0 ? installed.join(', ') : '(none)'}`,
  )
}
