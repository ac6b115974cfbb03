/**
 * Self-tests of the simulated OKX (test support, not the adapter), through a raw `ws` client and fetch: the
 * simulator must speak OKX's wire format before it can judge an adapter.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ReferenceBook } from './support/okx-checksum-reference.js'
import type { OkxBookRow, OkxCandleRow, OkxPush, OkxTradeRow } from './support/okx-frames.js'
import { eventOf, OkxRawClient, pushOf } from './support/okx-raw-client.js'
import type { RawFrame } from './support/okx-raw-client.js'
import { SimulatedOkx } from './support/simulated-okx.js'
import type { SimulatedOkxOptions } from './support/simulated-okx.js'

let sim: SimulatedOkx | undefined
const clients: OkxRawClient[] = []

async function setup(options: SimulatedOkxOptions = {}): Promise<SimulatedOkx> {
  sim = await SimulatedOkx.start({ instruments: ['BTC-USDT', 'ETH-USDT', 'BTC-USDT-SWAP', 'BTC-USD-SWAP'], ...options })
  return sim
}

async function connect(path: '/ws/v5/public' | '/ws/v5/business' = '/ws/v5/public'): Promise<OkxRawClient> {
  const client = await OkxRawClient.open(`${sim!.url}${path}`)
  clients.push(client)
  return client
}

const books = (frames: RawFrame[]): OkxPush<OkxBookRow>[] => frames as unknown as OkxPush<OkxBookRow>[]

/** Subscribes `books` of `instIds` and waits for their snapshots. */
async function subscribeBooks(client: OkxRawClient, instIds: string[]): Promise<void> {
  client.send({ op: 'subscribe', args: instIds.map((instId) => ({ channel: 'books', instId })) })
  await client.waitFor((frame) => pushOf('books')(frame) && (frame as { action?: string }).action === 'snapshot', instIds.length)
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await sim?.close()
  sim = undefined
})

describe('SimulatedOkx websocket', () => {
  it('acknowledges each subscribe arg with its connId, refuses an unknown instId with 60018 and sends a books snapshot', async () => {
    await setup()
    const client = await connect()
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }, { channel: 'trades', instId: 'BTC-USDT' }, { channel: 'books', instId: 'NOPE-USDT' }] })
    await client.waitFor((frame) => pushOf('books')(frame) || eventOf('error')(frame), 2)
    const connId = sim!.connections[0]!.connId
    expect(client.matching(eventOf('subscribe'))).toEqual([
      { event: 'subscribe', arg: { channel: 'books', instId: 'BTC-USDT' }, connId },
      { event: 'subscribe', arg: { channel: 'trades', instId: 'BTC-USDT' }, connId },
    ])
    expect(client.matching(eventOf('error'))).toEqual([{ event: 'error', code: '60018', msg: "Wrong URL or channel:books,instId:NOPE-USDT doesn't exist", connId }])
    const [snapshot] = books(client.matching(pushOf('books', 'BTC-USDT')))
    expect(snapshot!.action).toBe('snapshot')
    expect(snapshot!.data[0]).toMatchObject({ checksum: 0, prevSeqId: -1, seqId: sim!.bookOf('BTC-USDT').seqId })
    expect(snapshot!.data[0]!.bids).toEqual(sim!.bookOf('BTC-USDT').bids)
    expect(sim!.subscribeCount('books')).toBe(1)
  })

  it('chains book updates by prevSeqId, sends no-change updates, and the applied updates give the true book', async () => {
    await setup()
    const client = await connect()
    await subscribeBooks(client, ['BTC-USDT', 'ETH-USDT'])
    sim!.advance(5000)
    await client.waitFor(pushOf('books'), 2 + 2 * 50)
    for (const instId of ['BTC-USDT', 'ETH-USDT']) {
      const book = new ReferenceBook()
      let last: number | undefined
      let noChange = 0
      for (const push of books(client.matching(pushOf('books', instId)))) {
        const row = push.data[0]!
        if (push.action === 'update') expect(row.prevSeqId).toBe(last)
        if (push.action === 'update' && row.asks.length + row.bids.length === 0) {
          expect(row.seqId).toBe(row.prevSeqId)
          noChange++
        } else if (push.action === 'update') {
          expect(row.seqId).toBeGreaterThan(row.prevSeqId + 1)
        }
        book.apply(push.action!, row)
        last = row.seqId
      }
      expect(noChange).toBeGreaterThan(0)
      expect({ bids: book.bids(), asks: book.asks() }).toEqual({ bids: sim!.bookOf(instId).bids, asks: sim!.bookOf(instId).asks })
      expect(Number(sim!.bookOf(instId).bids[0]![0])).toBeLessThan(Number(sim!.bookOf(instId).asks[0]![0]))
    }
  })

  it('fills real checksums when enabled', async () => {
    await setup({ checksums: true })
    const client = await connect()
    await subscribeBooks(client, ['BTC-USDT-SWAP'])
    sim!.advance(2000)
    const pushes = books(await client.waitFor(pushOf('books'), 21))
    const book = new ReferenceBook()
    for (const push of pushes) {
      book.apply(push.action!, push.data[0]!)
      expect(push.data[0]!.checksum).toBe(book.checksum())
    }
    expect(pushes.every((push) => push.data[0]!.checksum !== 0)).toBe(true)
  })

  it('breaks the chain, resets the seqId and drops a frame for one instrument only', async () => {
    await setup()
    const client = await connect()
    await subscribeBooks(client, ['BTC-USDT', 'ETH-USDT'])
    sim!.breakChain('BTC-USDT')
    sim!.advance(100)
    sim!.resetSeqId('BTC-USDT')
    sim!.advance(100)
    sim!.dropNext((frame, connection) => connection.connId === sim!.connections[0]!.connId && 'arg' in frame && frame.arg.channel === 'books' && frame.arg.instId === 'ETH-USDT')
    sim!.advance(200)
    await client.waitFor(pushOf('books', 'BTC-USDT'), 5)
    await client.waitFor(pushOf('books', 'ETH-USDT'), 4)
    const btc = books(client.matching(pushOf('books', 'BTC-USDT'))).map((push) => push.data[0]!)
    expect(btc[1]!.prevSeqId).not.toBe(btc[0]!.seqId)
    expect(btc[1]!.prevSeqId).toBe(sim!.bookHistory('BTC-USDT')[1]!.seqId)
    expect(btc[2]!.prevSeqId).toBe(btc[1]!.seqId)
    expect(btc[2]!.seqId).toBeLessThan(btc[2]!.prevSeqId)
    expect(btc[3]!.prevSeqId).toBe(btc[2]!.seqId)
    const eth = books(client.matching(pushOf('books', 'ETH-USDT'))).map((push) => push.data[0]!)
    expect(sim!.dropped).toHaveLength(1)
    const dropped = (sim!.dropped[0]!.frame as OkxPush<OkxBookRow>).data[0]!
    expect(dropped.prevSeqId).toBe(eth[2]!.seqId)
    expect(eth[3]!.prevSeqId).toBe(dropped.seqId)
  })

  it('answers ping with pong until stalled', async () => {
    await setup()
    const client = await connect()
    client.send('ping')
    await client.waitFor((frame) => frame === 'pong')
    sim!.stall()
    client.send('ping')
    await sim!.until(() => sim!.connections[0]!.pings === 2)
    expect(sim!.pingsAnswered).toBe(1)
  })

  it('closes a connection nothing was pushed to for idleCloseMs of market time; a pong keeps it open', async () => {
    await setup({ idleCloseMs: 1000 })
    const quiet = await connect()
    const pinging = await connect()
    sim!.advance(900)
    pinging.send('ping')
    await pinging.waitFor((frame) => frame === 'pong')
    sim!.advance(200)
    expect(await quiet.closed).toBe(4004)
    expect(sim!.connections.map((connection) => connection.idleClosed)).toEqual([true, false])
  })

  it('pushes aggregated trades whose ids skip, and REST history pages newest first with after', async () => {
    await setup({ instruments: ['BTC-USDT'], rateLimit: { requests: 1000, windowMs: 2000 } })
    const client = await connect()
    client.send({ op: 'subscribe', args: [{ channel: 'trades', instId: 'BTC-USDT' }] })
    await client.waitFor(eventOf('subscribe'))
    sim!.advance(10_000)
    const pushed = sim!.pushedTrades('BTC-USDT')
    const rows = (await client.waitFor(pushOf('trades'), pushed.length)).map((frame) => (frame as unknown as OkxPush<OkxTradeRow>).data[0]!)
    expect(rows).toEqual(pushed)
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i]!.tradeId)).toBe(Number(rows[i - 1]!.tradeId) + Number(rows[i]!.count))
    expect(rows.some((row) => row.count !== '1')).toBe(true)

    const fills = sim!.trades('BTC-USDT')
    const paged: string[] = []
    let after = ''
    for (;;) {
      const response = await fetch(`${sim!.restUrl}/api/v5/market/history-trades?instId=BTC-USDT&type=1&limit=10${after}`)
      const body = (await response.json()) as { code: string; data: { tradeId: string }[] }
      expect(body.code).toBe('0')
      if (body.data.length === 0) break
      paged.push(...body.data.map((row) => row.tradeId))
      after = `&after=${body.data.at(-1)!.tradeId}`
    }
    expect(paged).toEqual(fills.map((fill) => String(fill.tradeId)).reverse())

    const before = fills[3]!.tradeId
    const above = (await (await fetch(`${sim!.restUrl}/api/v5/market/history-trades?instId=BTC-USDT&before=${before}&limit=2`)).json()) as { data: { tradeId: string }[] }
    expect(above.data.map((row) => Number(row.tradeId))).toEqual([before + 2, before + 1])

    sim!.purgeTradesBelow('BTC-USDT', fills[10]!.tradeId)
    const purged = (await (await fetch(`${sim!.restUrl}/api/v5/market/history-trades?instId=BTC-USDT&after=${fills[12]!.tradeId}`)).json()) as { data: unknown[] }
    expect(purged.data).toHaveLength(2)
  })

  it('serves candles on /business only, confirming a closed bar as REST history-candles has it', async () => {
    await setup({ instruments: ['BTC-USDT'], tradesPerSecond: 5, quietMinuteChance: 0 })
    const publicClient = await connect()
    publicClient.send({ op: 'subscribe', args: [{ channel: 'candle1m', instId: 'BTC-USDT' }] })
    const [refused] = await publicClient.waitFor(eventOf('error'))
    expect(refused).toMatchObject({ event: 'error', code: '64001', msg: "This channel has been migrated to the '/business' URL" })

    const business = await connect('/ws/v5/business')
    business.send({ op: 'subscribe', args: [{ channel: 'candle1m', instId: 'BTC-USDT' }] })
    await business.waitFor(eventOf('subscribe'))
    sim!.advance(61_000)
    const confirmed = await business.waitFor((frame) => pushOf('candle1m')(frame) && (frame as unknown as OkxPush<OkxCandleRow>).data[0]![8] === '1')
    const bar = (confirmed[0] as unknown as OkxPush<OkxCandleRow>).data[0]!
    expect(bar[0]).toBe(String(sim!.now - 61_000))
    const response = (await (await fetch(`${sim!.restUrl}/api/v5/market/history-candles?instId=BTC-USDT&bar=1m`)).json()) as { data: OkxCandleRow[] }
    expect(response.data).toHaveLength(2)
    expect(response.data[1]).toEqual(bar)
    expect(response.data[0]![8]).toBe('0')
  })

  it('covers every swap on liquidation-orders and pushes derivative data on subscribe', async () => {
    await setup()
    const client = await connect()
    client.send({ op: 'subscribe', args: [{ channel: 'liquidation-orders', instType: 'SWAP' }, { channel: 'mark-price', instId: 'BTC-USDT-SWAP' }, { channel: 'index-tickers', instId: 'BTC-USD' }] })
    await client.waitFor(eventOf('subscribe'), 3)
    sim!.liquidate('BTC-USD-SWAP', { side: 'sell', sz: '3' })
    const [liquidation] = await client.waitFor(pushOf('liquidation-orders'))
    expect(liquidation).toMatchObject({ arg: { channel: 'liquidation-orders', instType: 'SWAP' }, data: [{ instType: 'SWAP', instId: 'BTC-USD-SWAP', uly: 'BTC-USD', details: [{ side: 'sell', posSide: 'long', sz: '3' }] }] })
    await client.waitFor(pushOf('mark-price'))
    await client.waitFor(pushOf('index-tickers'))
    expect(client.matching(pushOf('mark-price'))[0]).toMatchObject({ data: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP' }] })
  })
})

describe('SimulatedOkx REST', () => {
  it('lists instruments by instType and answers an unknown instId with code 51001', async () => {
    await setup()
    const swaps = (await (await fetch(`${sim!.restUrl}/api/v5/public/instruments?instType=SWAP`)).json()) as { code: string; data: Record<string, string>[] }
    expect(swaps.data.map((row) => [row.instId, row.ctVal, row.ctValCcy, row.ctType])).toEqual([
      ['BTC-USDT-SWAP', '0.01', 'BTC', 'linear'],
      ['BTC-USD-SWAP', '100', 'USD', 'inverse'],
    ])
    const unknown = await fetch(`${sim!.restUrl}/api/v5/market/history-trades?instId=NOPE-USDT`)
    expect(unknown.status).toBe(200)
    expect(await unknown.json()).toEqual({ code: '51001', msg: 'Instrument ID does not exist', data: [] })
  })

  it('answers 429 with code 50011 past the rate limit of an endpoint', async () => {
    await setup({ rateLimit: { requests: 3, windowMs: 60_000 } })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${sim!.restUrl}/api/v5/market/history-trades?instId=BTC-USDT`)).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = await fetch(`${sim!.restUrl}/api/v5/market/history-trades?instId=BTC-USDT`)
    expect(await limited.json()).toEqual({ code: '50011', msg: 'Too Many Requests' })
    expect((await fetch(`${sim!.restUrl}/api/v5/public/instruments?instType=SPOT`)).status).toBe(200)
    expect(sim!.rest.count('/api/v5/market/history-trades', 'limited')).toBe(2)
  })
})
