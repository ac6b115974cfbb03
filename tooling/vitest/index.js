// Shared test defaults: resolve workspace packages to their TypeScript source
// (the private "@dccd/source" export condition), so tests never need a build.
import { defineProject } from 'vitest/config'

/** @param {string} name */
export function projectConfig(name) {
  return defineProject({
    resolve: { conditions: ['@dccd/source'] },
    ssr: { resolve: { conditions: ['@dccd/source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      exclude: process.env.DCCD_LIVE === '1' ? [] : ['test/**/*.live.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  })
}
