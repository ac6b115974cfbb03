import { preset } from '@dccd/tsup-config'

export default preset({ entry: { index: 'src/index.ts', 'conformance/index': 'src/conformance/index.ts' } })
