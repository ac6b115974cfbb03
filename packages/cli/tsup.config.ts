import { preset } from '@dccd/tsup-config'

// ESM only: the CLI locates itself and its adapters through import.meta.url, which CJS lacks.
export default { ...preset({ entry: { index: 'src/index.ts', bin: 'src/bin.ts' } }), format: ['esm'] }
