import { defineConfig } from 'tsup'
import { preset } from '@dccd/tsup-config'

// The conformance entry is ESM only: it imports vitest, which refuses to be require()d. The bin is ESM only too.
export default defineConfig([
  preset({ entry: { index: 'src/index.ts', 'helpers/index': 'src/helpers/index.ts' } }),
  {
    ...preset({ entry: { 'conformance/index': 'src/conformance/index.ts', 'bin/serve-fixture': 'src/bin/serve-fixture.ts' } }),
    format: ['esm'],
    clean: false,
  },
])
