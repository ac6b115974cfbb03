import { defineConfig } from 'vitest/config'

// One root run over every package, so CI gets one summary line.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tooling/create-exchange'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
})
