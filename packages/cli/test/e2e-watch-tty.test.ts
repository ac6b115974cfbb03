// `dccd watch` on a real pseudo-terminal (util-linux `script` provides it): draws in place, quits on q.
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { basicEvents, fakexProject, writeScript } from './helpers/fakex.js'
import { dccdArgv } from './helpers/spawn.js'

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`

describe('dccd watch on a terminal', { timeout: 60_000 }, () => {
  it('redraws the ladder in place on the alternate screen and quits on q', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: basicEvents().slice(0, 3), liveTrades: { symbol: 'BTCUSD', everyMs: 50, startId: 3 } })
    const command = dccdArgv(['watch', 'fakex', 'BTCUSD', '--ws-url', url, '--depth', '3']).map(quote).join(' ')
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    let screen = ''
    const drawn = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        screen += chunk
        if (screen.split('\x1b[H').length > 2 && /last trades[\s\S]*buy/.test(screen)) resolve() // two frames
      })
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    await drawn
    const quitAt = Date.now()
    child.stdin.write('q')
    expect(await exited).toBe(0)
    expect(Date.now() - quitAt).toBeLessThan(5000)
    expect(screen.startsWith('\x1b[?1049h\x1b[?25l')).toBe(true) // alternate screen, cursor hidden
    expect(screen.trimEnd().endsWith('\x1b[?25h\x1b[?1049l')).toBe(true) // both restored
    expect(screen.split('\x1b[H').length).toBeGreaterThan(2) // redrawn from the top, not scrolled
    const lastFrame = screen.slice(screen.lastIndexOf('\x1b[H'))
    expect(lastFrame).toMatch(/ask +102 +3/)
    expect(lastFrame).toMatch(/---- +spread 2/)
    expect(lastFrame).toMatch(/bid +99 +2/)
  })
})
