import { projectConfig } from '@dccd/vitest-config'

export default projectConfig('nats')
