// The CLI's library surface is `main` (run `dccd` from code) and what its
// signature needs. Recording without the CLI is `@dccd/recorder`'s job.
export { main } from './cli.js'
export type { MainOptions } from './cli.js'
export { ExitCode } from './errors.js'
export type { DiscoveryOptions } from './discovery.js'
export type { Io } from './io.js'
