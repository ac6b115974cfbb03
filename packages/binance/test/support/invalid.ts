/** Runs `run`, expecting it to throw core's `InvalidArgumentError` (class and code), and returns the error. */
import { expect } from 'vitest'
import { InvalidArgumentError } from '@dccd/core'

export function expectInvalidArgument(run: () => unknown): InvalidArgumentError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect((error as InvalidArgumentError).code).toBe('DCCD_INVALID_ARGUMENT')
    return error as InvalidArgumentError
  }
  throw new Error('expected an InvalidArgumentError')
}
