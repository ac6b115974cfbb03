/**
 * The JetStream sink against its floor (issue: "≥ 80 % of the bare client"): the same trades, the same JSON
 * payloads, subjects and message ids, into a local `nats-server -js` (file store), acknowledged. The floor is
 * the bare `@nats-io/jetstream` client publishing them with `msgID` in a loop, pipelined like the sink (at most
 * 1000 unacknowledged); the sink is `JetStreamSink.write()` fed as a feed within NATS's rate would (the memory
 * queue kept under 2000), timed until every event is acknowledged. Rounds alternate; each uses a fresh stream.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryCheckpointStore } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { JetStreamSink, messageId, subjectOf } from '@dccd/nats'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { NatsServer } from '../../../nats/test/support/nats-server.js'
import { trades } from '../../../nats/test/support/stream-contents.js'
import { summarize, table } from '../harness.js'
import { section, type Section } from '../report.js'

const IN_FLIGHT = 1000

/** Events/s of both, and the sink's share of the floor. */
export interface NatsResult {
  readonly floorPerSecond: number
  readonly sinkPerSecond: number
  readonly sinkOverFloor: number
}

export async function benchNats(events = 100_000, rounds = 3): Promise<{ result: NatsResult; section: Section }> {
  const server = await NatsServer.start()
  const all = [...trades('BTCUSDT', 1, events / 2, 'binance'), ...trades('ETH/USD', 1, events / 2, 'kraken')]
  let stream = 0
  const floor: number[] = []
  const sink: number[] = []
  try {
    for (let round = 0; round < rounds + 1; round++) {
      const f = await floorRun(server.url, `F${++stream}`, all)
      const s = await sinkRun(server.url, `S${++stream}`, all)
      if (round === 0) continue // warm-up
      floor.push(f)
      sink.push(s)
    }
  } finally {
    await server.close()
  }
  const rate = (ms: number[]): number => events / (summarize('x', ms).medianMs / 1000)
  const result = { floorPerSecond: rate(floor), sinkPerSecond: rate(sink), sinkOverFloor: rate(sink) / rate(floor) }
  const out = section('JetStream sink vs the bare client')
  out.blocks.push(
    `${events} trades (JSON payloads, \`Nats-Msg-Id\` each) into a local \`nats-server -js\` (file store), every one acknowledged; ` +
      `${rounds} measured rounds after a warm-up, medians. Floor: the bare \`@nats-io/jetstream\` client, ${IN_FLIGHT} publishes in flight.`,
    table(
      ['publisher', 'events/s (median)', 'ms per round (each)', 'share of floor'],
      [
        ['bare client (floor)', result.floorPerSecond.toFixed(0), floor.map((ms) => ms.toFixed(0)).join(', '), '100%'],
        ['JetStreamSink', result.sinkPerSecond.toFixed(0), sink.map((ms) => ms.toFixed(0)).join(', '), `${(100 * result.sinkOverFloor).toFixed(0)}%`],
      ],
    ),
  )
  return { result, section: out }
}

async function createStream(url: string, name: string): Promise<void> {
  const nc = await connect({ servers: url })
  await (await jetstreamManager(nc)).streams.add({ name, subjects: [`${name.toLowerCase()}.>`], duplicate_window: 120e9 })
  await nc.close()
}

/** ms to publish every event with the bare client and have every ack. */
async function floorRun(url: string, name: string, events: readonly MarketEvent[]): Promise<number> {
  await createStream(url, name)
  const nc = await connect({ servers: url })
  const js = jetstream(nc)
  const prefix = name.toLowerCase()
  const started = performance.now()
  let inFlight = 0
  let wake: (() => void) | undefined
  for (const event of events) {
    while (inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve))
    inFlight++
    void js.publish(subjectOf(event, prefix), JSON.stringify(event), { msgID: messageId(event) }).then(() => {
      inFlight--
      wake?.()
    })
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve))
  const ms = performance.now() - started
  await nc.close()
  return ms
}

/** ms for the sink to take every event and have every ack. */
async function sinkRun(url: string, name: string, events: readonly MarketEvent[]): Promise<number> {
  const spoolDir = mkdtempSync(join(tmpdir(), 'dccd-bench-spool-'))
  const sink = await JetStreamSink.connect({ servers: url, stream: name, subjectPrefix: name.toLowerCase(), spoolDir, checkpoints: new MemoryCheckpointStore(), maxInFlight: IN_FLIGHT })
  const started = performance.now()
  for (let i = 0; i < events.length; i++) {
    sink.write(events[i]!)
    // A feed faster than NATS for 100 000 events would spill to the spool (measured: 69 % of the floor, the spool's
    // write, read and parse); a feed within NATS's rate keeps the memory queue short, as the floor's loop does.
    if (i % 1000 === 999) while (sink.stats.queued > 2000) await new Promise((resolve) => setTimeout(resolve, 1))
  }
  await sink.settled()
  const ms = performance.now() - started
  const spooled = sink.stats.published - events.length
  await sink.close()
  rmSync(spoolDir, { recursive: true, force: true })
  if (spooled !== 0) throw new Error(`sink published ${spooled} more than it was given`)
  return ms
}
