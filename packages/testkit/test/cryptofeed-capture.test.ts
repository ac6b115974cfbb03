import { describe, expect, it } from 'vitest'
import { FakeExchange, fixturePath, loadSession, parseCryptofeedCapture, type SessionFrame } from '../src/index.js'

/** Unix seconds as cryptofeed writes them, from a session time in ms (`1633998512063.357` → `1633998512.063357`). */
function seconds(ms: number): string {
  const [whole, fraction = ''] = String(ms).split('.')
  return `${whole!.slice(0, -3)}.${whole!.slice(-3)}${fraction}`
}

/** The bundled Binance capture written back in cryptofeed's raw form: its `.ws` file and its `.http` file. */
function asCryptofeedFiles(session: readonly SessionFrame[]): [ws: string, http: string] {
  const ws: string[] = ['configuration: {"log": {"filename": "demo.log"}}']
  const http: string[] = []
  for (const frame of session) {
    if (frame.dir === 'out' && frame.data === null) ws.push(`${frame.url} <-> ${seconds(frame.t)}`)
    else if (frame.dir === 'in') ws.push(`${seconds(frame.t)}: ${JSON.stringify(frame.data)}`)
    else if (frame.dir === 'rest') http.push(`${frame.url} -> ${seconds(frame.t)}: ${JSON.stringify(frame.data)}`)
    else throw new Error('the Binance capture sent no messages')
  }
  return [ws.join('\n') + '\n', http.join('\n') + '\n']
}

describe('parseCryptofeedCapture', () => {
  it('converts opened, sent, received and REST lines, skipping the configuration header', () => {
    const capture = [
      'configuration: {"exchanges": {"KRAKEN": {}}}',
      'wss://ws.kraken.com <-> 1618678132.3858151',
      'wss://ws.kraken.com <- 1618678132.8253062: {"event":"subscribe","pair":["XMR/USD"]}',
      '1618678133.2949052: {"event":"heartbeat"}',
      '',
      'https://api.kraken.com/0/public/Trades?pair=XMRUSD -> 1618678134: {"error":[]}',
    ].join('\n')
    expect(parseCryptofeedCapture(capture)).toEqual([
      { t: 1618678132385.815, dir: 'out', url: 'wss://ws.kraken.com', data: null },
      { t: 1618678132825.306, dir: 'out', data: { event: 'subscribe', pair: ['XMR/USD'] } },
      { t: 1618678133294.905, dir: 'in', data: { event: 'heartbeat' } },
      { t: 1618678134000, dir: 'rest', url: 'https://api.kraken.com/0/public/Trades?pair=XMRUSD', data: { error: [] } },
    ])
  })

  it('keeps the captured text in raw where re-encoding would change it: big integers, spacing, byte strings', () => {
    const capture = [
      '1618678132.8258188: {"connectionID":17843232920108168701,"event":"systemStatus"}',
      '1618678132.9: {"event": "heartbeat"}',
      "1652459225.503749: b'\\x1f\\x8b\\x08\\x00'",
    ].join('\n')
    const [bigInteger, spaced, bytes] = parseCryptofeedCapture(capture)
    expect(bigInteger).toMatchObject({ dir: 'in', raw: '{"connectionID":17843232920108168701,"event":"systemStatus"}' })
    expect(spaced).toEqual({ t: 1618678132900, dir: 'in', data: { event: 'heartbeat' }, raw: '{"event": "heartbeat"}' })
    expect(bytes).toEqual({ t: 1652459225503.749, dir: 'in', data: null, raw: "b'\\x1f\\x8b\\x08\\x00'" })
  })

  it('merges a .ws and a .http file by time into the bundled Binance capture, line for line', () => {
    const bundled = loadSession(fixturePath('spot-2021-10-12.jsonl'))
    const [ws, http] = asCryptofeedFiles(bundled)
    expect(parseCryptofeedCapture([ws, http])).toEqual(bundled)
  })

  it('serves a REST line whose body only survives as raw text exactly as captured', async () => {
    const fx = await FakeExchange.start()
    try {
      fx.restFromSession(parseCryptofeedCapture('https://x.test/api/info -> 1.5: {"id":17843232920108168701}'))
      const res = await fetch(`${fx.restUrl}/api/info`)
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(await res.text()).toBe('{"id":17843232920108168701}')
    } finally {
      await fx.close()
    }
  })

  it('names the file and line of a line it cannot read, and refuses a second WebSocket', () => {
    expect(() => parseCryptofeedCapture(['1.0: {}', '2.0: {}\nnot a capture line'])).toThrow(/file 2 line 2 is not a cryptofeed capture line/)
    const twoSockets = 'wss://a.test/ws <-> 1.0\n1.5: {}\nwss://b.test/ws <-> 2.0'
    expect(() => parseCryptofeedCapture(twoSockets)).toThrow(/file 1 line 3 opens wss:\/\/b\.test\/ws after wss:\/\/a\.test\/ws/)
  })
})
