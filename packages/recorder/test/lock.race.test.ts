// Issue #11 item 5: several recorders racing over a stale lock. Real processes,
// released at one instant (a line on each stdin), 30 rounds; in every round
// exactly one may hold the lock.
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processAlive } from '../src/lock.js'
import { tsxArgv } from './helpers/tsx.js'

const WORKER = fileURLToPath(new URL('./fixtures/lock-worker.ts', import.meta.url))
const RACERS = 4
const ROUNDS = 30

interface Answer {
  ready?: number
  acquired?: boolean
  released?: boolean
  code?: string
  message?: string
}

/** One lock-worker process and its answers, in order. */
class Worker {
  readonly child: ChildProcess
  readonly #answers: Answer[] = []
  readonly #waiting: ((answer: Answer) => void)[] = []

  constructor() {
    const [node, ...args] = tsxArgv(WORKER)
    this.child = spawn(node!, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer
      const waiter = this.#waiting.shift()
      if (waiter) waiter(answer)
      else this.#answers.push(answer)
    })
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`)
  }

  next(): Promise<Answer> {
    const answer = this.#answers.shift()
    return answer ? Promise.resolve(answer) : new Promise((resolve) => this.#waiting.push(resolve))
  }
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)
}

/** The lock a `kill -9`ed recorder leaves: the old single file, or a record in the lock folder. */
function plantStaleLock(out: string, pid: number, legacy: boolean): void {
  if (legacy) {
    writeFileSync(join(out, '.dccd.lock'), JSON.stringify({ pid, startedAt: new Date().toISOString() }))
  } else {
    mkdirSync(join(out, '.dccd.lock'))
    writeFileSync(join(out, '.dccd.lock', `${pid}-stale.json`), JSON.stringify({ pid }))
  }
}

let workers: Worker[] = []

beforeAll(async () => {
  workers = Array.from({ length: RACERS }, () => new Worker())
  for (const worker of workers) expect((await worker.next()).ready).toBe(worker.child.pid)
})

afterAll(() => {
  for (const worker of workers) worker.child.stdin!.end()
})

describe('output folder lock under a race (real processes)', { timeout: 60_000 }, () => {
  it('lets exactly one of several processes racing over a stale lock take it, every round', async () => {
    const pid = deadPid()
    for (let round = 0; round < ROUNDS; round++) {
      expect(processAlive(pid)).toBe(false)
      const out = mkdtempSync(join(tmpdir(), 'dccd-lock-race-'))
      plantStaleLock(out, pid, round % 2 === 0)
      for (const worker of workers) worker.send(`acquire ${out}`)
      const answers = await Promise.all(workers.map((worker) => worker.next()))
      const winners = workers.filter((_, i) => answers[i]!.acquired)
      expect(winners, `round ${round}: ${JSON.stringify(answers)}`).toHaveLength(1)
      for (const answer of answers.filter((a) => !a.acquired)) {
        expect(answer.code).toBe('DCCD_OUTPUT_LOCKED')
        expect(answer.message).toContain(`in use by another dccd (pid ${winners[0]!.child.pid})`)
      }
      winners[0]!.send('release')
      expect((await winners[0]!.next()).released).toBe(true)
    }
  })
})
