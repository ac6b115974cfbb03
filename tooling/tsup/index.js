// The one build preset every package re-exports from its tsup.config.ts, so a
// later switch of build tool touches this file only.
import { defineConfig } from 'tsup'

/** @param {{ entry?: string[] | Record<string, string> }} [overrides] */
export function preset(overrides = {}) {
  return defineConfig({
    entry: overrides.entry ?? ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    splitting: false,
  })
}

export default preset()
