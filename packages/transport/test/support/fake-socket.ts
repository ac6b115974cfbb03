import type { ManagedConnection, Slot } from '../../src/slot.js'

/** A connection the test opens and closes by hand. */
export class FakeSocket implements ManagedConnection {
  closed = false
  frames = 0
  openedAtMs = 0
  constructor(
    readonly id: number,
    private readonly slot: () => Slot<FakeSocket>,
  ) {}
  ageMs(now = Date.now()): number {
    return this.openedAtMs === 0 ? 0 : now - this.openedAtMs
  }
  open(): void {
    this.openedAtMs = Date.now()
    this.slot().handleOpen(this)
  }
  frame(): void {
    this.frames++
    if (this.frames === 1) this.slot().handleFirstFrame(this)
  }
  drop(reason = 'dropped'): void {
    this.closed = true
    this.slot().handleClose(this, reason)
  }
  close(reason: string): Promise<void> {
    if (!this.closed) this.drop(reason)
    return Promise.resolve()
  }
  terminate(reason: string): void {
    void this.close(reason)
  }
}

