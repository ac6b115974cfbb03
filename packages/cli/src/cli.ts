/**
 * The `dccd` command line: parses arguments with commander and maps every
 * outcome to a documented exit code (0 ok, 1 unexpected failure, 2 bad input,
 * 130 interrupted by a second Ctrl-C while sealing).
 */
import { readFileSync } from 'node:fs'
import { nowMicros } from '@dccd/core'
import { Command, CommanderError, Option } from 'commander'
import { parseChoice, parseCount, parseDuration, parseUrl, splitList } from './args.js'
import { buildBackfillPlan } from './backfill/plan.js'
import type { BackfillFlags } from './backfill/plan.js'
import { runBackfill } from './commands/backfill.js'
import { runCapture } from './commands/capture.js'
import { runExchanges } from './commands/exchanges.js'
import { runRead } from './commands/read.js'
import { runRecord } from './commands/record.js'
import { runReplay } from './commands/replay.js'
import { runSinkToFiles } from './commands/sink-to-files.js'
import { runWatch } from './commands/watch.js'
import { buildRecordPlan } from './config.js'
import type { RecordFlags } from './config.js'
import type { DiscoveryOptions } from './discovery.js'
import { ExitCode, errorMessage, isUsageError } from './errors.js'
import type { Io } from './io.js'
import { processIo } from './io.js'
import { buildSinkPlan } from './sink/plan.js'
import type { SinkFlags } from './sink/plan.js'

const EXIT_CODES = `
Exit codes:
  0    done (--duration ended, or Ctrl-C, SIGTERM, SIGHUP or SIGQUIT sealed everything)
  1    unexpected failure
  2    bad input (unknown exchange/channel/interval/symbol, bad option or config file, unwritable or locked --out)
  3    record --sink: the spool reached --max-spool while NATS was unreachable or slow (drained on the next start)
  130  a second Ctrl-C stopped sealing early (the rest is sealed on the next start)`

const RECORD_EXAMPLES = `
Examples:
  $ dccd record binance BTCUSDT --channels trades,book --duration 30s
  $ dccd record binance BTCUSDT ETHUSDT --channels trades,book,bars:1m --out ./data --book-snapshots 1s:20
  $ dccd record kraken BTC/USD --channels trades,book --format jsonl
  $ dccd record binance BTCUSDT --channels trades,book --sink nats://127.0.0.1:4222 --stream DCCD
  $ dccd record binance-futures BTCUSDT --channels trades,quotes,derivatives,liquidations
  $ dccd record --config dccd.yaml
  $ dccd record --config fleet.yaml --shard 3/8
  $ dccd record binance --symbols-from quote=USDT,type=spot --shard 1/4 --channels trades
  $ dccd record binance BTCUSDT --ws-url ws://127.0.0.1:8080 --rest-url http://127.0.0.1:8080

Channels: what the exchange offers, see "dccd exchanges" (quotes: best bid/offer; derivatives: mark and
index price, funding, open interest; liquidations: forced orders).

Files: <out>/<exchange>/<type>/<symbol>/<YYYY-MM-DD>/<HHMMSS-id>.parquet, type = trades | book |
book-snapshots | bars-<interval> | quotes | derivatives | liquidations | status. A derivative field
the exchange did not send in a message is NULL, never 0. Query them with DuckDB:
  SELECT * FROM read_parquet('data/binance/trades/BTCUSDT/*/*.parquet')
${EXIT_CODES}`

const BACKFILL_EXAMPLES = `
Examples:
  $ dccd backfill binance BTCUSDT --channels trades,bars:1m --from 2026-12-01 --to 2026-12-02
  $ dccd backfill kraken BTC/USD ETH/USD --from 2026-12-04T12:00Z --out ./data

Writes the same files and schema as "dccd record" (dated by exchange time). Killed and run
again with the same arguments, it continues where its checkpoints say, writing no row twice;
a later "dccd record" into the same --out continues from where the backfill ended.
What each exchange serves: see its package README (Kraken bars: the latest 720 intervals only).

Exit codes:
  0    the whole range is written
  1    unexpected failure (a request failed for good); run again to continue
  2    bad input (unknown exchange/symbol/channel/interval, --from after --to, a future --from,
       a range the exchange cannot serve), before any history request
  130  stopped before the end (Ctrl-C); run again to continue`

const CAPTURE_HELP = `
Examples:
  $ dccd capture binance BTCUSDT --channels trades,book --out session.jsonl --duration 30s \\
      --ws-url wss://stream.binance.com:9443 --rest-url https://api.binance.com
  $ dccd capture kraken BTC/USD --out kraken.jsonl --duration 1m --ws-url wss://ws.kraken.com --rest-url https://api.kraken.com

The adapter is pointed at a recording proxy on 127.0.0.1 that forwards every socket and request to
the real exchange and writes, in the testkit's replay format: a meta line (exchange, symbols,
channels), each frame received ("in") and sent ("out") with its socket, and each REST answer
("rest", with the real URL). Symbols are checked against the exchange's list, so that request is
in the file too. Replay it with "dccd replay <file>" or the testkit's replaySession().
${EXIT_CODES}`

const REPLAY_HELP = `
Examples:
  $ dccd replay session.jsonl | head
  $ dccd replay session.jsonl --channels trades | jq -c 'select(.type == "trade")'
  $ dccd replay session.jsonl --out ./backtest --format jsonl

Same file, same events: only what the local clock gives differs between runs, localTimestamp (when this
run received each frame) and the timestamp of an event whose source had no exchange time.
${EXIT_CODES}`

const SINK_HELP = `
Examples:
  $ dccd sink-to-files --from nats://127.0.0.1:4222 --out ./data
  $ dccd sink-to-files --from nats://nats.internal:4222 --filter 'dccd.binance.>' --durable binance-files --out ./binance
  $ dccd sink-to-files --from nats://127.0.0.1:4222 --from-time 2026-12-01T12:00Z --to-time 2026-12-01T13:00Z --out ./window

Reads the events "dccd record --sink" publishes (one JSON message each on dccd.<exchange>.<type>.<symbol>)
with a durable pull consumer and writes the same files as "dccd record". A message is acknowledged only
after the journal holding it is fsynced; killed and started again, it resumes at the first message not
acknowledged, and no trade or closed bar is written twice. One writer per --durable and per --out.
--from-time replays the messages stored from then on (by the stream's time) with a temporary consumer,
up to --to-time or the end of the stream, and exits. Messages that are not dccd events are saved to
<out>/.quarantine/nats/<stream>.rejected.jsonl and terminated.

Exit codes:
  0    done (caught up with --drain or a replay, or Ctrl-C/SIGTERM sealed everything)
  1    unexpected failure (NATS unreachable at start, the disk refused a write)
  2    bad input (bad --from URL, --stream, --durable, --filter or time, unwritable or locked --out,
       a stream that does not exist, a durable that filters other subjects)
  130  a second Ctrl-C stopped sealing early (the rest is sealed on the next start)`

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    return manifest.version
  } catch {
    return '0.0.0'
  }
}

/** Test seams for {@link main}. */
export interface MainOptions {
  io?: Io
  discovery?: DiscoveryOptions
}

/** Builds the program; each action stores its exit-code promise in `run`. */
function buildProgram(io: Io, discovery: DiscoveryOptions | undefined, run: (work: () => Promise<number>) => void): Command {
  const program = new Command('dccd')
    .description('Record and watch crypto market data (trades, order books, bars, quotes, derivatives, liquidations) from exchange WebSockets.')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .addHelpText('after', `\nRun "dccd <command> --help" for examples.${EXIT_CODES}`)

  program
    .command('record')
    .description('record normalized events to Parquet (or JSONL/CSV) files, crash-safe')
    .argument('[exchange]', 'exchange id, see "dccd exchanges"')
    .argument('[symbols...]', 'exchange-native symbols (BTCUSDT, BTC/USD)')
    .option('-c, --channels <list>', 'comma-separated: trades, book, bars:<interval>, quotes, derivatives, liquidations (as the exchange offers)', 'trades,book')
    .option('-o, --out <dir>', 'output folder', './data')
    .addOption(new Option('-f, --format <format>', 'file format').choices(['parquet', 'jsonl', 'csv']).default('parquet'))
    .option('-d, --duration <time>', 'stop after this long (30s, 10m, 1h); default: until Ctrl-C')
    .option('--book-snapshots <interval:depth>', 'also write top-N book snapshots, e.g. 1s:20')
    .option('--book-depth <n>', 'order book depth to subscribe to (where the exchange offers a choice)')
    .option('--rotate <time>', 'seal files at least this often', '1h')
    .option('--max-resume-age <time>', 'after a restart, fetch what was missed only if the last recorded trade or bar is younger than this (default 24h); older: one gap row')
    .option('--ws-url <url>', 'WebSocket base URL override (the adapter appends its paths)')
    .option('--rest-url <url>', 'REST base URL override')
    .option('--validate-symbols', 'check symbols against the exchange list even with --ws-url/--rest-url')
    .option('--config <file>', 'YAML file listing several feeds to record in one process')
    .option('--sink <url>', 'publish every event to NATS JetStream (nats://host:4222) instead of writing files; --out keeps the spool and checkpoints')
    .option('--stream <name>', 'JetStream stream, created if missing (with --sink; default DCCD)')
    .option('--subject-prefix <prefix>', 'first subject token: <prefix>.<exchange>.<type>.<symbol> (with --sink; default dccd)')
    .option('--duplicate-window <time>', "the stream's duplicate window when dccd creates it (with --sink; default 2m)")
    .option('--max-spool <size>', 'largest local spool while NATS is unreachable or slow (with --sink; default 1GiB)')
    .option('--replicas <n>', 'replicas of the stream when dccd creates it (with --sink; default 1)')
    .option('--max-age <time>', 'oldest message the stream keeps when dccd creates it (with --sink; default: no limit)')
    .option('--retention <policy>', 'the stream\'s retention when dccd creates it: limits, interest or workqueue (with --sink; default limits)')
    .option('--shard <i/n>', 'record only the symbols whose stable hash lands in shard i of n (1..n), per exchange: n machines split a list')
    .option('--symbols-from <filter>', "symbols from the exchange's instrument list: quote=USDT,type=spot (keys type, base, quote, settle), or all")
    .option('-v, --verbose', 'log connection details')
    .addHelpText('after', RECORD_EXAMPLES)
    .action((exchange: string | undefined, symbols: string[], flags: RecordFlags & { verbose?: boolean }, command: Command) => {
      // Commander fills defaults; a config file may only be overridden by flags the user actually typed.
      const typed: RecordFlags = {}
      for (const key of Object.keys(flags) as (keyof RecordFlags)[]) {
        if (command.getOptionValueSource(key) === 'cli') typed[key] = flags[key] as never
      }
      const effective = flags.config === undefined ? flags : typed
      run(() => runRecord(buildRecordPlan(exchange, symbols, effective), { io, ...(discovery ? { discovery } : {}), verbose: flags.verbose ?? false }))
    })

  program
    .command('backfill')
    .description('download trade and bar history over REST into the same files as record (resumable)')
    .argument('<exchange>', 'exchange id, see "dccd exchanges"')
    .argument('<symbols...>', 'exchange-native symbols (BTCUSDT, BTC/USD)')
    .option('-c, --channels <list>', 'comma-separated: trades, bars:<interval>', 'trades')
    .requiredOption('--from <time>', 'start: ISO date or date-time, UTC unless a zone is given (2026-12-01, 2026-12-01T12:00Z)')
    .option('--to <time>', 'end (exclusive); default: now')
    .option('-o, --out <dir>', 'output folder', './data')
    .addOption(new Option('-f, --format <format>', 'file format').choices(['parquet', 'jsonl', 'csv']).default('parquet'))
    .option('--rest-url <url>', 'REST base URL override')
    .option('--weight-share <share>', "share of the exchange's REST weight limit to spend, (0, 1]")
    .option('-v, --verbose', 'log request details')
    .addHelpText('after', BACKFILL_EXAMPLES)
    .action((exchange: string, symbols: string[], flags: BackfillFlags & { verbose?: boolean }) => {
      run(() =>
        runBackfill(buildBackfillPlan(exchange, symbols, flags, nowMicros()), {
          io,
          ...(discovery ? { discovery } : {}),
          verbose: flags.verbose ?? false,
        }),
      )
    })

  program
    .command('watch')
    .description('live terminal view of one order book and its trades (with mark price, funding and best bid/ask where offered)')
    .argument('<exchange>', 'exchange id')
    .argument('<symbol>', 'exchange-native symbol')
    .option('--depth <n>', 'levels per side', '10')
    .option('-d, --duration <time>', 'quit after this long')
    .option('--ws-url <url>', 'WebSocket endpoint override')
    .option('--rest-url <url>', 'REST base URL override')
    .option('-v, --verbose', 'log connection details')
    .addHelpText(
      'after',
      '\nExamples:\n  $ dccd watch binance BTCUSDT\n  $ dccd watch kraken BTC/USD --depth 20\n  $ dccd watch binance-futures BTCUSDT\n\n' +
        'Where the exchange offers them, the view also subscribes to quotes and derivatives: a line with the\n' +
        'mark and index price, the funding rate (as %) and the time to the next funding (and open interest when\n' +
        'sent), and a line with the best bid and ask.\n\n' +
        `Keys: q or Ctrl-C quits.\n${EXIT_CODES}`,
    )
    .action((exchange: string, symbol: string, flags: Record<string, string | boolean | undefined>) => {
      run(() =>
        runWatch(
          {
            exchange,
            symbol,
            depth: parseCount(String(flags.depth), '--depth'),
            ...(typeof flags.wsUrl === 'string' ? { wsUrl: parseUrl(flags.wsUrl, '--ws-url') } : {}),
            ...(typeof flags.restUrl === 'string' ? { restUrl: parseUrl(flags.restUrl, '--rest-url') } : {}),
            ...(typeof flags.duration === 'string' ? { durationMs: parseDuration(flags.duration, '--duration') } : {}),
            ...(discovery ? { discovery } : {}),
            verbose: flags.verbose === true,
          },
          io,
        ),
      )
    })

  program
    .command('exchanges')
    .description('list installed exchange adapters with their channels, bar intervals and markets')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nAdapters are the installed @dccd/* packages that export an "exchange" descriptor (or several, as\n' +
        '"exchanges"). An adapter that describes its market shows its instrument types and what "amount"\n' +
        'counts (base units or contracts), with a note under the table; --json gives it as "market".\n\n' +
        `Examples:\n  $ dccd exchanges\n  $ dccd exchanges --json\n${EXIT_CODES}`,
    )
    .action((flags: { json?: boolean }) => {
      run(() => runExchanges({ json: flags.json === true, ...(discovery ? { discovery } : {}) }, io))
    })

  program
    .command('read')
    .description('print recorded data from a file or a whole --out folder')
    .argument('<path>', 'a .parquet/.jsonl/.csv file or a folder')
    .option('-n, --limit <n>', 'rows to print in all (0 = all)', '20')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'jsonl']).default('table'))
    .addHelpText('after', `\nExamples:\n  $ dccd read ./data --limit 10\n  $ dccd read data/binance/trades/BTCUSDT --format jsonl --limit 0 | jq .price\n${EXIT_CODES}`)
    .action((path: string, flags: { limit: string; format: string }) => {
      run(() =>
        runRead(
          path,
          { limit: parseCount(flags.limit, '--limit', true), format: parseChoice(flags.format, '--format', ['table', 'jsonl'] as const) },
          io,
        ),
      )
    })
  program
    .command('capture')
    .description('record a live session (raw frames both ways and REST calls) into a replay file, e.g. a test fixture')
    .argument('<exchange>', 'exchange id, see "dccd exchanges"')
    .argument('<symbols...>', 'exchange-native symbols (BTCUSDT, BTC/USD)')
    .option('-c, --channels <list>', 'comma-separated channels, as for record', 'trades,book')
    .requiredOption('-o, --out <file>', 'the capture file (JSONL, created or overwritten)')
    .option('-d, --duration <time>', 'stop after this long (30s, 10m); default: until Ctrl-C')
    .option('--ws-url <url>', "the exchange's real WebSocket base URL (default: the adapter's production endpoint, where it publishes one)")
    .option('--rest-url <url>', "the exchange's real REST base URL (same default)")
    .option('-v, --verbose', 'log connection details')
    .addHelpText('after', CAPTURE_HELP)
    .action((exchange: string, symbols: string[], flags: { channels: string; out: string; duration?: string; wsUrl?: string; restUrl?: string; verbose?: boolean }) => {
      run(() =>
        runCapture(
          {
            exchange,
            symbols,
            channels: splitList(flags.channels),
            out: flags.out,
            ...(flags.duration === undefined ? {} : { durationMs: parseDuration(flags.duration, '--duration') }),
            ...(flags.wsUrl === undefined ? {} : { wsUrl: parseUrl(flags.wsUrl, '--ws-url') }),
            ...(flags.restUrl === undefined ? {} : { restUrl: parseUrl(flags.restUrl, '--rest-url') }),
            version: packageVersion(),
            ...(discovery ? { discovery } : {}),
            verbose: flags.verbose ?? false,
          },
          io,
        ),
      )
    })

  program
    .command('replay')
    .description('push a capture through its adapter at full speed: normalized events as JSON lines, or recorded with --out')
    .argument('<file>', 'a capture written by "dccd capture" (or any replay-format session)')
    .option('--exchange <id>', "adapter to replay through (default: the capture's meta line)")
    .option('--symbols <list>', "comma-separated symbols (default: the capture's)")
    .option('-c, --channels <list>', "comma-separated channels (default: the capture's)")
    .option('-o, --out <dir>', 'record the events into this folder, as "dccd record" does, instead of printing them')
    .addOption(new Option('-f, --format <format>', 'file format with --out').choices(['parquet', 'jsonl', 'csv']).default('parquet'))
    .option('-v, --verbose', 'log connection details')
    .addHelpText('after', REPLAY_HELP)
    .action((file: string, flags: { exchange?: string; symbols?: string; channels?: string; out?: string; format: string; verbose?: boolean }) => {
      run(() =>
        runReplay(
          {
            file,
            ...(flags.exchange === undefined ? {} : { exchange: flags.exchange }),
            ...(flags.symbols === undefined ? {} : { symbols: splitList(flags.symbols) }),
            ...(flags.channels === undefined ? {} : { channels: splitList(flags.channels) }),
            ...(flags.out === undefined ? {} : { out: flags.out }),
            format: parseChoice(flags.format, '--format', ['parquet', 'jsonl', 'csv'] as const),
            ...(discovery ? { discovery } : {}),
            verbose: flags.verbose ?? false,
          },
          io,
        ),
      )
    })
  program
    .command('sink-to-files')
    .description('write a NATS JetStream stream of dccd events into the same files as record, acknowledging only what is durable')
    .option('--from <url>', 'NATS server, e.g. nats://127.0.0.1:4222')
    .option('-o, --out <dir>', 'output folder', './data')
    .option('--stream <name>', 'JetStream stream', 'DCCD')
    .option('--durable <name>', 'durable consumer name (its position survives restarts)', 'dccd-files')
    .addOption(new Option('-f, --format <format>', 'file format').choices(['parquet', 'jsonl', 'csv']).default('parquet'))
    .option('--filter <subject>', 'only these subjects, e.g. dccd.binance.>')
    .option('--subject-prefix <prefix>', "the subjects' first token(s), as dccd record --subject-prefix gave them", 'dccd')
    .option('--from-time <time>', 'replay the messages stored from this ISO time on (temporary consumer), then exit')
    .option('--to-time <time>', 'with --from-time: end of the window (exclusive)')
    .option('--drain', 'exit once caught up with the stream instead of following it')
    .option('--rotate <time>', 'seal files at least this often', '1h')
    .option('--batch <n>', 'messages per batch (one fsync and one round of acknowledgements each)', '500')
    .option('-v, --verbose', 'log connection details')
    .addHelpText('after', SINK_HELP)
    .action((flags: SinkFlags) => {
      run(() => runSinkToFiles(buildSinkPlan(flags), { io, verbose: flags.verbose ?? false }))
    })
  return program
}

/**
 * Runs `dccd` with the given arguments (without `node` and the script).
 *
 * @returns the exit code
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo()
  let work: (() => Promise<number>) | undefined
  const program = buildProgram(io, options.discovery, (w) => (work = w))
  try {
    await program.parseAsync([...argv], { from: 'user' })
    if (work === undefined) {
      program.outputHelp()
      return ExitCode.usage
    }
    return await work()
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage
    if (isUsageError(error)) {
      io.err(`dccd: ${errorMessage(error)}\n`)
      return ExitCode.usage
    }
    io.err(`dccd: error: ${errorMessage(error)}\n`)
    if (process.env.DCCD_DEBUG) io.err(`${(error as Error).stack}\n`)
    return ExitCode.failure
  }
}
