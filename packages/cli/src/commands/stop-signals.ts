/**
 * The stop signals of a long-running command that seals files on the way
 * out (`record`, `backfill`): the first asks for a graceful stop, a second for
 * an exit now, each said once on stderr.
 */
import type { Io } from '../io.js'
import { STOP_SIGNALS } from '../shutdown.js'
import type { Shutdown } from '../shutdown.js'

/**
 * Registers handlers for every stop signal.
 *
 * @param clear removes the live status line before a message
 * @returns a function that removes them again
 */
export function handleStopSignals(shutdown: Shutdown, io: Io, clear: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    const action = shutdown.signal()
    clear()
    const which = signal === 'SIGINT' ? '' : `${signal}: `
    if (action === 'stop') io.err(`dccd: ${which}stopping; sealing files (Ctrl-C again to exit at once)\n`)
    if (action === 'abandon') io.err('dccd: exiting now; unsealed data stays in the journal and is sealed on the next start\n')
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
  }
}
