import { expect, it, vi } from 'vitest'

it('runs the README example with the output its comments promise', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  await import('./readme-example.js')
  expect(log.mock.calls).toEqual([
    [{ price: 100.5, amount: 3 }, { price: 101, amount: 1 }],
    [100.5, 3],
    [100, 2],
    ['BTCUSDT', 100, 102],
    ['BTCUSDT', 100, 101],
  ])
  log.mockRestore()
})
