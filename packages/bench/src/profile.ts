/**
 * `pnpm bench:profile <workload>`: runs one workload in a loop under
 * `node --cpu-prof`, then prints the functions with the most self time.
 * Workloads: book [apply|bbo|top10] (our OrderBook on the generated stream), binance, kraken
 * (the adapter pipelines on their generated sessions), binance-capture, kraken-capture, transport
 * (our WebSocketBase client reading a flood from the loopback server).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { mkdtempSync } from 'node:fs'

const workload = process.argv[2] ?? 'binance'

if (process.env.DCCD_BENCH_PROFILE_CHILD !== '1') {
  const dir = mkdtempSync(join(tmpdir(), 'dccd-prof-'))
  const child = spawnSync(
    process.execPath,
    ['--conditions=@dccd/source', '--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${dir}`, new URL(import.meta.url).pathname, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, DCCD_BENCH_PROFILE_CHILD: '1' } },
  )
  if (child.status !== 0) process.exit(child.status ?? 1)
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!)
  process.stdout.write(`profile: ${file}\n${topFunctions(file, 25)}`)
} else {
  await runWorkload(workload)
}

async function runWorkload(name: string): Promise<void> {
  const { binanceStream } = await import('./book/frames.js')
  const { generateStream } = await import('./book/generate.js')
  const { allImpls } = await import('./book/impls.js')
  const { binancePipeline, krakenPipeline } = await import('./adapters/pipelines.js')
  const { binanceCaptureSession, binanceGeneratedSession, krakenCaptureSession, krakenGeneratedSession } = await import('./adapters/sessions.js')
  const generated = () => generateStream(binanceStream().frames.find((f) => f.isSnapshot && f.book === 0)!)
  if (name === 'book') {
    const stream = generated()
    const [ours] = await allImpls()
    for (let i = 0; i < 20; i++) ours!.replay(stream.frames, 1, (process.argv[3] as 'apply' | 'bbo' | 'top10' | undefined) ?? 'apply', 1)
  } else if (name === 'binance') {
    const session = binanceGeneratedSession(generated())
    for (let i = 0; i < 6; i++) binancePipeline(session, 1)
  } else if (name === 'kraken') {
    const { session } = krakenGeneratedSession()
    for (let i = 0; i < 10; i++) krakenPipeline(session, 1)
  } else if (name === 'binance-capture') {
    binancePipeline(binanceCaptureSession(), 2000)
  } else if (name === 'kraken-capture') {
    krakenPipeline(krakenCaptureSession(), 500)
  } else if (name === 'transport') {
    const { startServer } = await import('./transport/bench.js')
    const { runOurs } = await import('./transport/clients.js')
    const server = await startServer()
    try {
      for (let i = 0; i < 3; i++) await runOurs(`ws://127.0.0.1:${server.port}/?mode=flood&n=200000`, 200_000)
    } finally {
      server.child.kill()
    }
  } else {
    throw new Error(`unknown workload ${name}: book, binance, kraken, binance-capture, kraken-capture or transport`)
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

/** Self time per function (summed over nodes), as a share of all samples. */
function topFunctions(file: string, count: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }
  const self = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    total += hits
    const { functionName, url, lineNumber } = node.callFrame
    const where = url ? `${url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}` : ''
    const key = `${functionName || '(anonymous)'} ${where}`.trim()
    self.set(key, (self.get(key) ?? 0) + hits)
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n') + '\n'
}
