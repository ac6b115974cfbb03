import { fixturePath, loadSession } from '@dccd/testkit'

/** One line of a capture (the testkit replay format). */
export interface CaptureLine {
  readonly t: number
  readonly dir: 'in' | 'out' | 'rest'
  readonly url?: string
  readonly data: unknown
}

/** The real captures bundled with `@dccd/testkit` (source and licence: its fixtures/README.md). */
export type CaptureName = 'binance-spot-2021-10-12' | 'kraken-v2-2021-04-17' | 'okx-v5-2022-05-13'

const FILES: Record<CaptureName, string> = {
  'binance-spot-2021-10-12': 'spot-2021-10-12.jsonl',
  'kraken-v2-2021-04-17': 'v2-2021-04-17.jsonl',
  'okx-v5-2022-05-13': 'okx/v5-2022-05-13.jsonl',
}

/** Reads one of the testkit's captures, line by line. */
export function loadCapture(name: CaptureName): CaptureLine[] {
  return loadSession(fixturePath(FILES[name])) as CaptureLine[]
}

/** The raw `in` frames of a capture as the exchange sent them (JSON text), in order. */
export function rawInFrames(lines: readonly CaptureLine[]): string[] {
  return lines.filter((l) => l.dir === 'in').map((l) => JSON.stringify(l.data))
}
