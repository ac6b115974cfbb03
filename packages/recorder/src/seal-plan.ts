/**
 * Which lines of a segment become rows and which are set aside. A line is
 * set aside when it is not JSON, does not have its data type's shape, or
 * has a value its column cannot hold (see validate.ts). Book files carry
 * one more rule: a book message is a change to the book before it, so
 * after a book line is set aside every following update is held back too
 * until the next snapshot; otherwise the file would replay into a book the
 * exchange never had.
 */
import type { JournalContents } from './journal.js'
import type { Row } from './rows.js'
import { recordRows } from './rows.js'
import { columnsFor } from './schema.js'
import { rowProblem } from './validate.js'

/** A journal line that will not be sealed. */
export interface RejectedLine {
  /** 1-based line number in the segment. */
  readonly line: number
  /** The line as written. */
  readonly text: string
  readonly reason: string
}

/** The outcome of {@link planSeal}. */
export interface SealPlan {
  readonly rows: Row[]
  /** Values of the records that became rows, in order. */
  readonly accepted: unknown[]
  /** In line order. */
  readonly rejected: RejectedLine[]
}

function isSnapshot(value: unknown): boolean {
  return (value as { isSnapshot?: unknown } | null)?.isSnapshot === true
}

/** Splits a segment's lines into rows to encode and lines to set aside. */
export function planSeal(contents: JournalContents): SealPlan {
  const { type, depth = 0 } = contents.header
  const columns = columnsFor(type, depth)
  const rows: Row[] = []
  const accepted: unknown[] = []
  const rejected: RejectedLine[] = []
  const unreadable = contents.unreadable
  let nextUnreadable = 0
  let eventIndex = 0
  // Line of the book message whose loss makes the book unknown until the next snapshot.
  let bookLostAt: number | undefined
  const reject = (line: number, text: string, reason: string): void => {
    rejected.push({ line, text, reason })
    if (type === 'book') bookLostAt ??= line
  }
  for (const record of contents.records) {
    while (nextUnreadable < unreadable.length && unreadable[nextUnreadable]!.line < record.line) {
      const { line, text, reason } = unreadable[nextUnreadable++]!
      reject(line, text, reason)
    }
    if (type === 'book' && bookLostAt !== undefined && !isSnapshot(record.value)) {
      rejected.push({ line: record.line, text: record.text, reason: `a book update after rejected line ${bookLostAt}; the book is unknown until the next snapshot` })
      continue
    }
    let recordRowList: Row[]
    try {
      recordRowList = recordRows(type, record.value, depth, eventIndex)
    } catch (error) {
      reject(record.line, record.text, `not a ${type} record (${(error as Error).message})`)
      continue
    }
    let problem: string | undefined
    for (const row of recordRowList) {
      problem = rowProblem(columns, row)
      if (problem !== undefined) break
    }
    if (problem !== undefined) {
      reject(record.line, record.text, problem)
      continue
    }
    if (type === 'book') {
      bookLostAt = undefined // a snapshot accepted, or no loss yet
      eventIndex++
    }
    for (const row of recordRowList) rows.push(row)
    accepted.push(record.value)
  }
  for (const { line, text, reason } of unreadable.slice(nextUnreadable)) reject(line, text, reason)
  return { rows, accepted, rejected }
}
