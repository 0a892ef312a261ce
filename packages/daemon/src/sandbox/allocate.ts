/**
 * The one way to find free sandbox slots. Slot numbers are per host (uids, cgroups, the supervisor's
 * lock), so a daemon, `judged verify` and test suites on one machine must each skip the slots
 * another process holds. The supervisor says so with SandboxError kind 'busy'; any other failure
 * (not root, no cgroups, supervisor not built) ends the search, since no other slot will do better.
 */
import { SandboxError } from './types.ts';

export class SlotAllocator {
  private next: number;

  /** Tries slots base, base+1, ... below base+span, each at most once. */
  constructor(
    private readonly base: number,
    private readonly span: number,
  ) {
    this.next = base;
  }

  /** Opens the next free slot with `open`; throws open's own error unless it is 'busy'. */
  async open<T>(open: (slot: number) => Promise<T>, onBusy?: (slot: number) => void): Promise<T> {
    while (this.next < this.base + this.span) {
      const slot = this.next++;
      try {
        return await open(slot);
      } catch (err) {
        if (!(err instanceof SandboxError && err.kind === 'busy')) throw err;
        onBusy?.(slot);
      }
    }
    throw new SandboxError(`no free sandbox slot in ${this.base}..${this.base + this.span - 1}: every one is held by another judged`, 'busy');
  }
}

/** Opens up to n slots (at least one, or throws why not). */
export async function openFreeSlots<T>(n: number, alloc: SlotAllocator, open: (slot: number, index: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n) {
    try {
      out.push(await alloc.open((slot) => open(slot, out.length)));
    } catch (err) {
      if (out.length === 0) throw err;
      break;
    }
  }
  return out;
}
