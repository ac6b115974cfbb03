// `dccd exchanges` lists each adapter with its channels and, when the adapter describes it, its market.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.js'
import type { Io } from '../src/io.js'
import { fakexProject, isolated } from './helpers/fakex.js'

function captureIo(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), errIsTTY: false, outIsTTY: false }
  return io
}

/** fakex (a perpetual market in contracts) and a spot adapter that describes no market. */
function project(): string {
  const cwd = fakexProject()
  const spot = join(cwd, 'node_modules', '@dccd', 'spotx')
  mkdirSync(spot, { recursive: true })
  writeFileSync(join(spot, 'package.json'), JSON.stringify({ name: '@dccd/spotx', type: 'module', main: 'index.js' }))
  writeFileSync(join(spot, 'index.js'), 'export const exchange = { id: "spotx", name: "Spot X", channels: ["trades"], barIntervals: [], exampleSymbol: "BTCUSD", createFeed() {} }\n')
  return cwd
}

describe('dccd exchanges', () => {
  it('--json gives each adapter with its channels, and its market description when it has one', async () => {
    const cwd = project()
    const io = captureIo()
    expect(await main(['exchanges', '--json'], { io, discovery: isolated(cwd) })).toBe(0)
    expect(JSON.parse(io.stdout)).toEqual([
      {
        id: 'fakex',
        name: 'Fake Exchange',
        channels: 'trades,book,bars,quotes,derivatives,liquidations',
        barIntervals: '1m',
        example: 'BTCUSD',
        package: '@dccd/fakex',
        market: { instrumentTypes: ['perpetual'], amountUnit: 'contracts', openInterestUnit: 'contracts', note: 'Symbols are fake perpetuals; one contract is 1 USD.' },
      },
      { id: 'spotx', name: 'Spot X', channels: 'trades', barIntervals: '', example: 'BTCUSD', package: '@dccd/spotx' },
    ])
  })

  it('shows instrument types and the amount unit as columns, and the market note under the table', async () => {
    const cwd = project()
    const io = captureIo()
    expect(await main(['exchanges'], { io, discovery: isolated(cwd) })).toBe(0)
    const lines = io.stdout.trimEnd().split('\n')
    expect(lines[0]!.split(/ {2,}/)).toEqual(['id', 'name', 'channels', 'barIntervals', 'instruments', 'amount', 'example', 'package'])
    expect(lines[1]!.split(/ {2,}/)).toEqual(['fakex', 'Fake Exchange', 'trades,book,bars,quotes,derivatives,liquidations', '1m', 'perpetual', 'contracts', 'BTCUSD', '@dccd/fakex'])
    expect(lines[2]).toMatch(/^spotx +Spot X +trades +BTCUSD +@dccd\/spotx$/) // empty bar intervals, instruments and amount
    expect(lines.slice(3)).toEqual(['', 'fakex: Symbols are fake perpetuals; one contract is 1 USD.'])
  })
})
