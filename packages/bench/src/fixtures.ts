import { fileURLToPath } from 'node:url'
import { fixturePath, loadSession } from '@dccd/testkit'

/** One line of a capture (the testkit replay format). */
export interface CaptureLine {
  readonly t: number
  readonly dir: 'in' | 'out' | 'rest'
  readonly url?: string
  readonly data: unknown
}

/**
 * The real captures the bench reads: those bundled with `@dccd/testkit` (source and licence: its
 * fixtures/README.md) and the Binance USDⓈ-M one `@dccd/binance`'s tests keep (its test/fixtures/README.md).
 */
export type CaptureName = 'binance-spot-2021-10-12' | 'kraken-v2-2021-04-17' | 'okx-v5-2022-05-13' | 'binance-usdm-2021-07-22'

/** Testkit fixture names, or a `file:` URL for a capture kept elsewhere in the repository. */
const FILES: Record<CaptureName, string | URL> = {
  'binance-spot-2021-10-12': 'spot-2021-10-12.jsonl',
  'kraken-v2-2021-04-17': 'v2-2021-04-17.jsonl',
  'okx-v5-2022-05-13': 'okx/v5-2022-05-13.jsonl',
  'binance-usdm-2021-07-22': new URL('../../binance/test/fixtures/usdm-2021-07-22.jsonl', import.meta.url),
}

/** Reads one of the captures, line by line. */
export function loadCapture(name: CaptureName): CaptureLine[] {
  const file = FILES[name]
  return loadSession(typeof file === 'string' ? fixturePath(file) : fileURLToPath(file)) as CaptureLine[]
}

/** The raw `in` frames of a capture as the exchange sent them (JSON text), in order. */
export function rawInFrames(lines: readonly CaptureLine[]): string[] {
  return lines.filter((l) => l.dir === 'in').map((l) => JSON.stringify(l.data))
}
