#!/usr/bin/env node
// Scaffolds a new exchange adapter package from ./templates.
// Usage: pnpm create-exchange <id> "<Name>"   (id: lower-case letters and digits)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const templates = join(dirname(fileURLToPath(import.meta.url)), 'templates')
const ID_PATTERN = /^[a-z][a-z0-9]{1,31}$/

/**
 * Writes packages/<id> below `root` and returns the files written (relative paths).
 * @param {{ root: string, id: string, name: string }} options
 */
export function scaffold({ root, id, name }) {
  if (!ID_PATTERN.test(id)) {
    throw new Error(`invalid exchange id "${id}"; use 2-32 lower-case letters and digits, starting with a letter (e.g. okx)`)
  }
  if (!name || /["\\\n]/.test(name)) throw new Error(`invalid exchange name ${JSON.stringify(name)}`)
  const target = join(root, 'packages', id)
  if (existsSync(target)) throw new Error(`packages/${id} already exists`)
  const pascal = name.replace(/[^A-Za-z0-9]/g, '')
  const replacements = { __ID__: id, __NAME__: name, __CLASS__: `${pascal}Feed`, __PASCAL__: pascal }
  const written = []
  for (const file of walk(templates)) {
    const out = join(target, relative(templates, file).replace(/\.tpl$/, ''))
    let text = readFileSync(file, 'utf8')
    for (const [key, value] of Object.entries(replacements)) text = text.replaceAll(key, value)
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, text)
    written.push(relative(root, out))
  }
  return written
}

function* walk(dir) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else yield path
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [id, name] = process.argv.slice(2)
  try {
    const root = process.env.INIT_CWD ?? process.cwd()
    const files = scaffold({ root, id: id ?? '', name: name ?? '' })
    process.stdout.write(
      `created ${files.length} files in packages/${id}\n` +
        `next: pnpm install (and commit pnpm-lock.yaml with the package), then work through the TODO(new adapter)\n` +
        `notes, starting with src/wire.ts and src/parse.ts; CONTRIBUTING.md ("Adding an exchange") has the steps\n`,
    )
  } catch (error) {
    process.stderr.write(`create-exchange: ${error.message}\n`)
    process.exit(2)
  }
}
