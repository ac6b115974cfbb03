/** Reading and writing the JSONL replay format (one frame per line, see test/fixtures/README.md). */
import { readFileSync, writeFileSync } from 'node:fs'

export interface SessionLine {
  t: number
  dir: 'in' | 'out' | 'rest'
  url?: string
  data: any
}

export function readSession(file: string | URL): SessionLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SessionLine)
}

export function writeSession(file: string | URL, lines: readonly SessionLine[]): void {
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
}
