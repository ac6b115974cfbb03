/**
 * The bench's seeded random source: testkit's mulberry32, so generated
 * streams are identical on every run and machine. Floats in [0, 1).
 */
import { SeededRandom } from '@dccd/testkit'

export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed)
  return () => random.next()
}
