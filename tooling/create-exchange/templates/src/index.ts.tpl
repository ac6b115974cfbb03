export { exchange } from './exchange.js'
export { __CLASS__ } from './feed.js'
export type { __CLASS__Options } from './feed.js'
