import { describe, expect, it } from 'vitest'
import { singleEdits } from '../src/helpers/index.js'

describe('singleEdits', () => {
  it('gives every insertion, deletion and replacement once, and nothing else', () => {
    const edits = [...singleEdits('ab', ['a', 'x'])]
    expect(edits).toEqual([
      'aab', 'xab', 'b', 'xb', // at 0: insert a, x; delete a; replace a by x (not by itself)
      'aab', 'axb', 'a', 'aa', 'ax', // at 1: insert a, x; delete b; replace b by a, x
      'aba', 'abx', // at the end: insert only
    ])
  })

  it('counts (n + 1) insertions and n deletions per alphabet character, and a replacement per other character', () => {
    const text = '{"a":[1,2]}'
    const alphabet = ['"', '1', 'z']
    const replacements = [...text].reduce((sum, c) => sum + alphabet.filter((a) => a !== c).length, 0)
    expect([...singleEdits(text, alphabet)]).toHaveLength((text.length + 1) * alphabet.length + text.length + replacements)
  })
})
