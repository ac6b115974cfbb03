/**
 * `pnpm bench:profile <workload>`: runs one workload in a loop under
 * `node --cpu-prof`, then prints the functions with the most self time.
 * Workloads: book [apply|bbo|top10] (our OrderBook on the generated stream), binance, kraken, okx
 * [checksums] (the adapter pipelines on their generated sessions; OKX's with checksum 0 unless
 * `checksums`), binance-capture, kraken-capture, okx-capture, transport
 * (our WebSocketBase client reading a flood from the loopback server), e2e-binance,
 * e2e-binance-futures, e2e-kraken and e2e-okx [contestant] (one end-to-end contestant, default dccd,
 * three runs of 300,000 frames against the end-to-end server, which runs in its own, unprofiled,
 * process).
 */
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { mkdtempSync } from 'node:fs'
import { areas, topFunctions } from './cpu-profile.js'
import type { ContestantName } from './e2e/contestants/run.js'
import { E2E_EXCHANGES, type E2eExchange } from './e2e/session.js'

const workload = process.argv[2] ?? 'binance'
const E2E_FRAMES = 300_000

if (process.env.DCCD_BENCH_PROFILE_CHILD !== '1') {
  const dir = mkdtempSync(join(tmpdir(), 'dccd-prof-'))
  const child = spawnSync(
    process.execPath,
    ['--conditions=@dccd/source', '--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${dir}`, new URL(import.meta.url).pathname, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, DCCD_BENCH_PROFILE_CHILD: '1' } },
  )
  if (child.status !== 0) process.exit(child.status ?? 1)
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!)
  // The end-to-end workloads read 3 × 300,000 frames: per-frame costs compare across contestants.
  const units = workload.startsWith('e2e-') ? 3 * E2E_FRAMES : undefined
  process.stdout.write(`profile: ${file}\n${topFunctions(file, 25, units)}\nby area${units ? ' (unit: a frame)' : ''}:\n${areas(file, units)}`)
} else {
  await runWorkload(workload)
}

async function runWorkload(name: string): Promise<void> {
  const { binanceStream } = await import('./book/frames.js')
  const { generateStream } = await import('./book/generate.js')
  const { allImpls } = await import('./book/impls.js')
  const { binancePipeline, krakenPipeline, okxPipeline } = await import('./adapters/pipelines.js')
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
  } else if (name === 'okx') {
    const { okxGeneratedSessions } = await import('./adapters/okx-sessions.js')
    const { plain, checksummed } = okxGeneratedSessions()
    const session = process.argv[3] === 'checksums' ? checksummed : plain
    for (let i = 0; i < 15; i++) okxPipeline(session, 1)
  } else if (name === 'binance-capture') {
    binancePipeline(binanceCaptureSession(), 2000)
  } else if (name === 'kraken-capture') {
    krakenPipeline(krakenCaptureSession(), 500)
  } else if (name === 'okx-capture') {
    const { okxCaptureSession } = await import('./adapters/okx-sessions.js')
    okxPipeline(okxCaptureSession(), 500)
  } else if (name === 'transport') {
    const { startServer } = await import('./transport/bench.js')
    const { runOurs } = await import('./transport/clients.js')
    const server = await startServer()
    try {
      for (let i = 0; i < 3; i++) await runOurs(`ws://127.0.0.1:${server.port}/?mode=flood&n=200000`, 200_000)
    } finally {
      server.child.kill()
    }
  } else if (name.startsWith('e2e-') && (E2E_EXCHANGES as readonly string[]).includes(name.slice(4))) {
    const { startE2eServer, specFor } = await import('./e2e/children.js')
    const { runContestant } = await import('./e2e/contestant.js')
    const server = await startE2eServer(name.slice(4) as E2eExchange, E2E_FRAMES)
    try {
      const spec = specFor((process.argv[3] as ContestantName | undefined) ?? 'dccd', server)
      for (let i = 0; i < 3; i++) {
        const run = await runContestant(spec)
        if (run.problems.length > 0) throw new Error(`${name} ${spec.contestant}, run ${i + 1}: ${run.problems.join('; ')}`)
      }
    } finally {
      server.close()
    }
  } else {
    const e2e = E2E_EXCHANGES.map((exchange) => `e2e-${exchange}`).join(', ')
    throw new Error(`unknown workload ${name}: book, binance, kraken, okx, binance-capture, kraken-capture, okx-capture, transport, ${e2e}`)
  }
}
