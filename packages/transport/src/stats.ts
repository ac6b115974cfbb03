import type { FeedStats } from '@dccd/core'

/** Counters of a `WebSocketBase`: core's `FeedStats` plus transport internals. */
export interface TransportStats extends FeedStats {
  /** Items waiting between the sockets and the consumer right now. */
  readonly queued: number
  /** Highest `queued` seen. */
  readonly peakQueued: number
  /** Times the sockets were paused because the queue was full. */
  pausedCount: number
  /** Sockets open right now (all slots, including rotation overlaps). */
  readonly openConnections: number
  /** Sockets terminated because no pong or frame followed a heartbeat. */
  staleTimeouts: number
  /** Completed rotations (`maxConnectionAgeMs`). */
  rotations: number
}
