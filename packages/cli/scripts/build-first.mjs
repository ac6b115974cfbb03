// Builds workspace packages with turbo (cached: about a second when nothing changed) and stays
// quiet unless it fails, so `pnpm dccd …` prints only what dccd prints.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const root = fileURLToPath(new URL('../../../', import.meta.url))

/** Runs `turbo run build --filter=<each>`; exits the process with turbo's code when it fails. */
export async function buildFirst(filters) {
  const turbo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo')
  const args = ['run', 'build', ...filters.map((f) => `--filter=${f}`), '--output-logs=errors-only']
  const child = spawn(turbo, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' })
  let log = ''
  child.stdout.on('data', (chunk) => (log += chunk))
  child.stderr.on('data', (chunk) => (log += chunk))
  const note = setTimeout(() => process.stderr.write('dccd: building the CLI and its adapters first (cached after the first run)…\n'), 2000)
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      log += String(error)
      resolve(1)
    })
    child.on('close', (status) => resolve(status ?? 1))
  })
  clearTimeout(note)
  if (code !== 0) {
    process.stderr.write(`${log}\ndccd: the build failed (turbo exit ${code}); see above\n`)
    process.exit(code)
  }
}
