/**
 * Which disk a path is on and how much room it has, for the message that
 * stops a recording on a full disk: the user must be able to see at once
 * which filesystem filled up. Linux reads the mount table in
 * `/proc/self/mounts`; elsewhere only the free space is known.
 */
import { readFileSync, realpathSync, statfsSync } from 'node:fs'
import { dirname } from 'node:path'

/** What is known about the filesystem holding a path. */
export interface FilesystemInfo {
  /** Where it is mounted (`/mnt/data`), when the mount table can be read. */
  readonly mountPoint?: string
  /** Its type (`ext4`, `tmpfs`, …), when the mount table can be read. */
  readonly type?: string
  /** Bytes available to this (unprivileged) process, when statfs works. */
  readonly freeBytes?: number
}

/** The nearest existing folder or file at or above `path` (a failed write may leave no file behind). */
function existingAncestor(path: string): string {
  let current = path
  for (;;) {
    try {
      return realpathSync(current)
    } catch {
      const parent = dirname(current)
      if (parent === current) return current
      current = parent
    }
  }
}

/** `/proc/self/mounts` escapes space, tab, newline and backslash as octal. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

/** The mount (point and type) whose point is the longest prefix of `path`. */
function mountOf(path: string, mounts: string): { mountPoint: string; type: string } | undefined {
  let best: { mountPoint: string; type: string } | undefined
  for (const line of mounts.split('\n')) {
    const [, rawPoint, type] = line.split(' ')
    if (rawPoint === undefined || type === undefined) continue
    const point = unescapeMount(rawPoint)
    const inside = path === point || point === '/' || path.startsWith(`${point}/`)
    // Later lines mount over earlier ones at the same point: `>=` keeps the last.
    if (inside && point.length >= (best?.mountPoint.length ?? -1)) best = { mountPoint: point, type }
  }
  return best
}

/** Describes the filesystem holding `path`; fields it cannot learn are left out. Never throws. */
export function filesystemOf(path: string): FilesystemInfo {
  const existing = existingAncestor(path)
  let info: FilesystemInfo = {}
  try {
    const mount = mountOf(existing, readFileSync('/proc/self/mounts', 'utf8'))
    if (mount !== undefined) info = { ...mount }
  } catch {
    // Not Linux (or /proc is not mounted): no mount point to name.
  }
  try {
    const stats = statfsSync(existing)
    info = { ...info, freeBytes: Number(stats.bavail) * Number(stats.bsize) }
  } catch {
    // Some filesystems refuse statfs; the message just leaves the free space out.
  }
  return info
}

/** Bytes for people: `0 B`, `512 B`, `12 KiB`, `1.5 MiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const shown = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '')
  return `${shown} ${units[unit]}`
}

/** `filesystem tmpfs at /mnt/x, 0 B free`, with whatever is known. */
export function describeFilesystem(info: FilesystemInfo): string {
  const where = info.mountPoint === undefined ? 'filesystem' : `filesystem ${info.type === undefined ? '' : `${info.type} `}at ${info.mountPoint}`
  return info.freeBytes === undefined ? where : `${where}, ${formatBytes(info.freeBytes)} free`
}
