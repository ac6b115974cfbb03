// Runs a command in its own mount namespace with a small tmpfs mounted on a folder, so a test can fill a real
// disk and no mount outlives the command. Needs root and util-linux's unshare; CI and the sandbox run as root.
// There is no skip: without them the test fails and says why. (The CLI's end-to-end disk test uses it too.)
import { spawn, spawnSync } from 'node:child_process'
import type { Finished } from './tsx.js'

const SCRIPT = `
mount -t tmpfs -o "size=$DCCD_TMPFS_SIZE" tmpfs "$DCCD_TMPFS" || exit 97
"$@"
code=$?
if [ -n "$DCCD_TMPFS_SAVE" ]; then cp -a "$DCCD_TMPFS/." "$DCCD_TMPFS_SAVE/" || exit 98; fi
exit $code
`

/** Throws, naming the reason, unless a tmpfs can be mounted in a private mount namespace here. */
export function requireTmpfs(dir: string): void {
  const probe = spawnSync('unshare', ['--mount', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$0"', dir], { encoding: 'utf8' })
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim()
    throw new Error(`this test mounts a real tmpfs through "unshare --mount" and needs root and util-linux: ${why}`)
  }
}

/** Options of {@link runOnTmpfs}. */
export interface TmpfsRun {
  /** Folder the tmpfs is mounted on (inside the namespace only). */
  readonly dir: string
  /** tmpfs size, as mount takes it (`512k`, `2m`). */
  readonly size: string
  /** Command to run once it is mounted. */
  readonly argv: readonly string[]
  readonly cwd: string
  /** Folder outside the tmpfs to copy its contents to after the command, before the tmpfs goes away. */
  readonly saveTo?: string
}

/** Runs `argv` with a fresh tmpfs at `dir`; resolves its exit and output. */
export function runOnTmpfs(run: TmpfsRun): Promise<Finished> {
  const child = spawn('unshare', ['--mount', 'sh', '-c', SCRIPT, 'sh', ...run.argv], {
    cwd: run.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', DCCD_TMPFS: run.dir, DCCD_TMPFS_SIZE: run.size, DCCD_TMPFS_SAVE: run.saveTo ?? '' },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}
