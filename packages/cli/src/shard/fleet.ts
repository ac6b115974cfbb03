/**
 * Turns a record plan's symbol selectors and `--shard` into the symbols each
 * feed records, before anything else starts. Per feed: the named symbols, or
 * those of the exchange's instrument list matching the feed's selector; then,
 * with `--shard i/n`, only those whose hash lands in shard i (see shard.ts).
 * The shard applies per feed, so a config naming several exchanges splits
 * each of them across the fleet.
 */
import type { ExchangeAdapter, Logger } from '@dccd/core'
import type { FeedPlan, RecordPlan } from '../config.js'
import { UsageError } from '../errors.js'
import type { Io } from '../io.js'
import { describeSelector, resolveSelector } from './selector.js'
import { selectShard } from './shard.js'

/**
 * `plan` with every feed's symbols resolved and sharded; feeds a shard leaves empty are dropped. A plan
 * with neither selectors nor a shard is returned as it is. Says on `io.err` what each feed records.
 *
 * @param find the adapter of an exchange id (asked only for feeds with a selector)
 * @throws UsageError (exit 2) when an adapter cannot list instruments, a selector matches nothing, or the shard has no symbol at all
 */
export async function resolveRecordSymbols(
  plan: RecordPlan,
  find: (exchange: string) => Promise<ExchangeAdapter>,
  io: Io,
  logger?: Logger,
): Promise<RecordPlan> {
  const { shard } = plan
  if (shard === undefined && plan.feeds.every((feed) => feed.symbolsFrom === undefined)) return plan
  const feeds: FeedPlan[] = []
  for (const feed of plan.feeds) {
    const all =
      feed.symbolsFrom === undefined
        ? feed.symbols
        : await resolveSelector(await find(feed.exchange), feed.symbolsFrom, { ...(feed.restUrl === undefined ? {} : { restUrl: feed.restUrl }), ...(logger ? { logger } : {}) })
    const symbols = shard === undefined ? all : selectShard(feed.exchange, all, shard)
    const from = feed.symbolsFrom === undefined ? '' : ` (${describeSelector(feed.symbolsFrom)})`
    const what = shard === undefined ? `${all.length} symbols${from}` : `shard ${shard.index}/${shard.count}: ${symbols.length} of ${all.length} symbols${from}`
    io.err(`dccd: ${feed.exchange}: ${what}${symbols.length === 0 ? '; nothing to record for this feed' : ''}\n`)
    if (symbols.length === 0) continue
    const { symbolsFrom: _resolved, ...rest } = feed
    feeds.push({ ...rest, symbols })
  }
  if (feeds.length === 0) {
    throw new UsageError(`--shard ${shard!.index}/${shard!.count} leaves no symbol to record in any feed; use fewer shards than symbols`)
  }
  return { ...plan, feeds }
}
