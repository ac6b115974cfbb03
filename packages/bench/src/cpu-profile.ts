/**
 * Reading a `.cpuprofile` (`node --cpu-prof`): self time per function and
 * per area of the stack, as shares of the busy samples. Idle samples are
 * left out of the shares (a workload that waits for a server would otherwise
 * look light) and reported on their own. JSON.parse and other builtins have
 * no node of their own in V8's profile: their time is the caller's self time.
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface Sample {
  readonly name: string
  readonly url: string
  readonly hits: number
}

function samples(file: string): { list: Sample[]; busy: number; idle: number; msPerHit: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number }
  const list: Sample[] = []
  let busy = 0
  let idle = 0
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    const { functionName, url } = node.callFrame
    if (functionName === '(idle)') {
      idle += hits
      continue
    }
    busy += hits
    list.push({ name: functionName || '(anonymous)', url, hits })
  }
  return { list, busy, idle, msPerHit: (profile.endTime - profile.startTime) / 1000 / (busy + idle) }
}

const shortUrl = (url: string): string => url.replace(/^.*\/(packages|node_modules)\//, '$1/').replace(/^file:\/\//, '')

/** Self time per function (summed over nodes), as a share of the busy samples, most first; with `units`, also µs per unit. */
export function topFunctions(file: string, count: number, units?: number): string {
  const { list, busy, idle, msPerHit } = samples(file)
  const self = new Map<string, number>()
  for (const s of list) {
    const key = `${s.name} ${s.url ? shortUrl(s.url) : ''}`.trim()
    self.set(key, (self.get(key) ?? 0) + s.hits)
  }
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => `${((100 * hits) / busy).toFixed(1).padStart(5)}%${perUnit(hits * msPerHit, units)}  ${name}`)
  return `shares of busy samples (idle: ${((100 * idle) / (busy + idle)).toFixed(0)}% of all, left out)\n${rows.join('\n')}\n`
}

/** Where a function's self time belongs, by the file it is in. */
function area(s: Sample): string {
  if (s.name === '(garbage collector)') return 'garbage collector'
  if (s.url.includes('/node_modules/ws/')) return 'ws (frame reading)'
  for (const pkg of ['transport', 'core', 'binance', 'kraken', 'okx', 'bench']) if (s.url.includes(`/packages/${pkg}/`)) return `@dccd/${pkg}`
  if (/esm|cjs\/loader|modules|compile/.test(s.url + s.name)) return 'module loading'
  if (s.url.startsWith('node:')) return 'node internals (events, streams, buffers)'
  return 'native (buffer → string, utf-8 check, timers, program)'
}

/**
 * Self time per area (package, ws, GC, node), as shares of the busy samples
 * and in ms; with `units` (e.g. frames processed) also in µs per unit, which
 * compares across workloads where shares cannot.
 */
export function areas(file: string, units?: number): string {
  const { list, busy, msPerHit } = samples(file)
  const byArea = new Map<string, number>()
  for (const s of list) byArea.set(area(s), (byArea.get(area(s)) ?? 0) + s.hits)
  const rows = [...byArea.entries(), ['total busy', busy] as const].sort((a, b) => b[1] - a[1])
  return (
    rows
      .map(([name, hits]) => {
        const ms = hits * msPerHit
        return `${((100 * hits) / busy).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms${perUnit(ms, units)}  ${name}`
      })
      .join('\n') + '\n'
  )
}

const perUnit = (ms: number, units: number | undefined): string => (units === undefined ? '' : `  ${((ms * 1000) / units).toFixed(3).padStart(6)} µs/unit`)
