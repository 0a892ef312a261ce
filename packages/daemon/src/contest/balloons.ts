/**
 * The balloon list a viewer gets: the store's balloons with the freeze applied (visibility.ts
 * balloonHeldBack). Balloons the freeze holds back are counted, not listed; the jury may ask to see
 * them too, marked frozen.
 */
import type { Balloon, ContestClock } from '@judged/shared/protocol';
import { balloonHeldBack, isJury, type Viewer } from '@judged/shared/visibility';
import type { Store } from '../store/index.ts';

export function balloonsFor(
  store: Store,
  clock: Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>,
  viewer: Viewer,
  opts: { showDuringFreeze: boolean; includeFrozen?: boolean },
): { balloons: Balloon[]; hiddenByFreeze: number } {
  const all = store.balloons.list();
  const balloons: Balloon[] = [];
  let hiddenByFreeze = 0;
  for (const b of all) {
    const held = balloonHeldBack(clock, b.submittedAtMs, opts.showDuringFreeze);
    if (!held) balloons.push(b);
    else if (opts.includeFrozen && isJury(viewer)) balloons.push({ ...b, frozen: true });
    else hiddenByFreeze++;
  }
  return { balloons, hiddenByFreeze };
}
