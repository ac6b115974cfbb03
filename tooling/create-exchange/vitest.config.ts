import { projectConfig } from '@dccd/vitest-config'
import { mergeConfig } from 'vitest/config'

// The scaffold test generates a package under test/.generated; its own test files are run
// by the scaffold test through the conformance clauses, not collected a second time.
export default mergeConfig(projectConfig('create-exchange'), {
  test: { exclude: ['test/.generated/**'] },
})
