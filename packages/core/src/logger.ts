/**
 * The pluggable logger every dccd component accepts. Library code never calls
 * `console.log`; pass {@link consoleLogger} or your own (pino, winston, … all fit).
 */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void
  info(message: string, context?: Record<string, unknown>): void
  warn(message: string, context?: Record<string, unknown>): void
  error(message: string, context?: Record<string, unknown>): void
}

const noop = (): void => {}

/** The default: discards everything. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop }

/** A minimal logger writing `warn` and `error` (and `info` when `verbose`) to stderr. */
export function consoleLogger(options: { verbose?: boolean } = {}): Logger {
  const write =
    (level: string) =>
    (message: string, context?: Record<string, unknown>): void => {
      process.stderr.write(`[dccd] ${level} ${message}${context ? ` ${JSON.stringify(context)}` : ''}\n`)
    }
  return {
    debug: options.verbose ? write('debug') : noop,
    info: options.verbose ? write('info') : noop,
    warn: write('warn'),
    error: write('error'),
  }
}
