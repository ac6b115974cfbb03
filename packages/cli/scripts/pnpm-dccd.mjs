#!/usr/bin/env node
// `pnpm dccd …` from a clone: build the CLI and the packages it uses, then run it in this
// process (no extra child, so Ctrl-C reaches dccd directly and its exit code is pnpm's).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildFirst, root } from './build-first.mjs'

// Every workspace package: an adapter scaffolded in packages/<id> is found by discovery, so it must be built too.
await buildFirst(['./packages/*'])
const bin = join(root, 'packages', 'cli', 'bin', 'dccd.js')
process.argv = [process.argv[0], bin, ...process.argv.slice(2)]
await import(pathToFileURL(bin).href)
