/**
 * `setTimeout` for delays of any length. Node keeps a delay in a signed
 * 32-bit int: from 2^31 ms (about 24.8 days) on it warns and fires after
 * 1 ms, so `--duration 30d` used to end a recording at once.
 */

/** Longest delay one `setTimeout` honours, ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Calls `callback` after `ms` milliseconds, chaining timers of at most
 * {@link MAX_TIMEOUT_MS} each.
 *
 * @returns a function that cancels it
 * @example
 * const cancel = setLongTimeout(() => shutdown.stop('duration'), 30 * 86_400_000)
 */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  let left = ms
  let timer: NodeJS.Timeout | undefined
  const arm = (): void => {
    const step = Math.min(left, MAX_TIMEOUT_MS)
    left -= step
    timer = setTimeout(left > 0 ? arm : callback, step)
  }
  arm()
  return () => clearTimeout(timer)
}
