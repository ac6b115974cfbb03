#!/usr/bin/env node
// The published entry: runs the built CLI. From a clone, `pnpm dccd …` builds first (see the root package.json).
import { existsSync } from 'node:fs'

const entry = new URL('../dist/bin.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('dccd: the CLI is not built; run "pnpm build" (or use "pnpm dccd", which builds first)\n')
  process.exit(1)
}
await import(entry.href)
