/**
 * Every text one edit away from `text`: each character of `alphabet`
 * inserted at every position (the end included), each character deleted,
 * and each character replaced by every character of `alphabet`. For a
 * scanner's "accepts only what the general path reads the same way" test:
 * all of them, in a fixed order, where a random sample of a few thousand
 * left about half of a frame's edits untried in any one run.
 *
 * @example
 * for (const edited of singleEdits(frame, ['"', ',', '0', ' ']))
 *   if (scan(edited)) expect(scan(edited)).toEqual(general(edited))
 */
export function* singleEdits(text: string, alphabet: readonly string[]): Generator<string> {
  for (let i = 0; i <= text.length; i++) {
    const head = text.slice(0, i)
    for (const char of alphabet) yield head + char + text.slice(i)
    if (i === text.length) break
    const tail = text.slice(i + 1)
    yield head + tail
    for (const char of alphabet) if (char !== text[i]) yield head + char + tail
  }
}
