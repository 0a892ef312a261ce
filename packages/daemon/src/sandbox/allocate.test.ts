import { describe, expect, it } from 'vitest';
import { openFreeSlots, SlotAllocator } from './allocate.ts';
import { SandboxError } from './types.ts';

const busy = new Set([3, 4, 6]);
const fakeOpen = async (slot: number): Promise<number> => {
  if (busy.has(slot)) throw new SandboxError(`slot ${slot} is already in use by another judged-sandbox supervisor`, 'busy');
  return slot;
};

describe('SlotAllocator', () => {
  it('skips busy slots and never hands out a slot twice', async () => {
    const a = new SlotAllocator(3, 10);
    expect(await a.open(fakeOpen)).toBe(5);
    expect(await a.open(fakeOpen)).toBe(7);
    expect(await openFreeSlots(2, a, fakeOpen)).toEqual([8, 9]);
  });

  it('stops at the first failure that is not busy (another slot will not do better)', async () => {
    const tried: number[] = [];
    const a = new SlotAllocator(0, 10);
    const err = await a
      .open(async (slot) => {
        tried.push(slot);
        throw new SandboxError('not running as root', 'startup');
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'startup' });
    expect(tried).toEqual([0]);
  });

  it('reports a typed busy error when the whole range is held, and partial success as what it got', async () => {
    await expect(new SlotAllocator(3, 2).open(fakeOpen)).rejects.toMatchObject({ kind: 'busy', message: /no free sandbox slot in 3..4/ });
    expect(await openFreeSlots(4, new SlotAllocator(4, 4), fakeOpen)).toEqual([5, 7]);
  });
});
