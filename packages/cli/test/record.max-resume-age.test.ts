// --max-resume-age reaches every feed `dccd record` creates (in-process, through main, with the fake adapter).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/index.js'
import { fakexProject, writeScript } from './helpers/fakex.js'

const created = (): Array<Record<string, unknown>> => ((globalThis as { __dccdFakexFeedOptions?: Array<Record<string, unknown>> }).__dccdFakexFeedOptions ??= [])

describe('dccd record --max-resume-age', () => {
  it('passes the bound to the adapter as maxResumeAgeMs, and leaves the adapter default alone without it', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: [] })
    const io = { out: () => {}, err: () => {}, errIsTTY: false, outIsTTY: false }
    const args = ['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--duration', '1s', '--ws-url', url]
    created().length = 0
    expect(await main([...args, '--out', join(cwd, 'a'), '--max-resume-age', '2h'], { io, discovery: { cwd } })).toBe(0)
    expect(created().length).toBeGreaterThan(0)
    for (const options of created()) expect(options.maxResumeAgeMs).toBe(7_200_000)
    created().length = 0
    expect(await main([...args, '--out', join(cwd, 'b')], { io, discovery: { cwd } })).toBe(0)
    for (const options of created()) expect('maxResumeAgeMs' in options).toBe(false)
  })
})
