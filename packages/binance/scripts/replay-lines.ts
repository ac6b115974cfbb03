/** Reading and writing replay files (JSONL, one session frame per line) for the fixture scripts. */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One line of a capture or replay file. */
export interface Line {
  t: number
  dir: 'in' | 'out' | 'rest'
  url?: string
  data: unknown
}

/** A path relative to this scripts folder. */
export const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export function readLines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line)
}

export function writeLines(file: string, lines: readonly Line[]): void {
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
}
