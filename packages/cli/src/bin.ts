/** Process entry: runs {@link main} and exits with its code. */
import { main } from './cli.js'

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dccd: error: ${String(error)}\n`)
    process.exit(1)
  },
)
