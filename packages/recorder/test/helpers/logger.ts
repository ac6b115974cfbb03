// A logger that keeps what it is told, for asserting warnings.
import type { Logger } from '@dccd/core'

/** Keeps `warn` and `error` messages (both in `warnings`, in order). */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  const noop = (): void => {}
  return { warnings, debug: noop, info: noop, warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) }
}
