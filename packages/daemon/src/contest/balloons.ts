/**
 * The balloons live: the store's balloons (each team's first AC per problem) as the two audiences
 * see them, kept current with 'balloon' events appended inside the transaction that changed them, as
 * the scoreboards do (scoreboard.ts).
 *
 *   - the jury: every balloon, those the freeze holds back marked `frozen`;
 *   - balloon runners: only the balloons the freeze does not hold back (visibility.ts
 *     balloonHeldBack), so nothing a runner receives says what the frozen board hides; those it held
 *     back reach them at the unfreeze (resync after the clock change).
 *
 * Each audience has what it was last sent (by team and problem); a change compares the problem's
 * balloons with that and sends only the differences: a new balloon, a changed one (delivered, its
 * first-to-solve mark, an earlier submission after a rejudge) and, with `removed`, one that went (a
 * rejudge took its AC away, its team was disabled). Runners' events are numbered in their own reader
 * class (store/core.ts), so a runner resumes after a reconnect like any other reader.
 */
import type { Balloon, ContestClock } from '@judged/shared/protocol';
import type { Run } from '@judged/shared/scoring';
import { balloonHeldBack, isJury, type Viewer } from '@judged/shared/visibility';
import type { Store } from '../store/index.ts';

type Audience = 'jury' | 'runner';
const ROLES: Record<Audience, Array<'judge' | 'admin' | 'balloon'>> = { jury: ['judge', 'admin'], runner: ['balloon'] };

const keyOf = (b: Pick<Balloon, 'teamId' | 'problemId'>) => `${b.teamId}\u0000${b.problemId}`;

export interface BalloonList {
  balloons: Balloon[];
  heldBack: boolean;
  hiddenByFreeze: number | null;
}

export class ContestBalloons {
  /** Per audience, each balloon as last sent (its JSON, and the balloon for a later removal). */
  private readonly sent: Record<Audience, Map<string, { json: string; balloon: Balloon }>> = { jury: new Map(), runner: new Map() };

  constructor(
    private readonly store: Store,
    private readonly clock: () => Pick<ContestClock, 'scoreboardFrozen' | 'freezeAtMs'>,
    /** judged --balloons-during-freeze: runners get balloons for runs the frozen board hides. */
    readonly showDuringFreeze: boolean,
  ) {
    this.rebuild();
    store.events.onRunChange((run) => this.onRun(run));
  }

  /** What each audience was sent, taken from the database as it is (start, rollback). */
  rebuild(): void {
    for (const a of ['jury', 'runner'] as const) {
      this.sent[a].clear();
      for (const b of this.view(a, this.store.balloons.list())) this.sent[a].set(keyOf(b), { json: JSON.stringify(b), balloon: b });
    }
  }

  /**
   * The balloons request: runners get what they may see and whether the freeze holds some back (not
   * how many); the jury also the count, and with `includeFrozen` the held-back ones, marked.
   */
  list(viewer: Viewer, includeFrozen = false): BalloonList {
    const clock = this.clock();
    const all = this.view('jury', this.store.balloons.list());
    const heldBack = clock.scoreboardFrozen && clock.freezeAtMs !== null && !this.showDuringFreeze;
    if (!isJury(viewer)) return { balloons: all.filter((b) => !b.frozen), heldBack, hiddenByFreeze: null };
    const frozen = all.filter((b) => b.frozen).length;
    return { balloons: includeFrozen ? all : all.filter((b) => !b.frozen), heldBack, hiddenByFreeze: includeFrozen ? 0 : frozen };
  }

  /** A runner or the jury marks a balloon delivered or not; undefined when `viewer` has no such balloon. */
  setDone(viewer: Viewer, teamId: string, problemId: string, done: boolean, byUsername: string): Balloon | undefined {
    return this.store.tx(() => {
      // A runner may only mark what it may see: a balloon the freeze holds back is not there for it.
      const seen = this.list(viewer, true).balloons.find((b) => b.teamId === teamId && b.problemId === problemId);
      if (!seen) return undefined;
      this.store.balloons.setDone(teamId, problemId, done, byUsername);
      this.refresh(problemId);
      return this.list(viewer, true).balloons.find((b) => b.teamId === teamId && b.problemId === problemId);
    });
  }

  /** After the clock's freeze changed (freeze, unfreeze, new times) or a team came or went: compare all. */
  resync(): void {
    this.diff(this.store.balloons.list(), null);
  }

  private onRun(run: Run): void {
    // Only an AC makes a balloon, and only a team's balloon can go: any other run changes nothing.
    if (run.verdict !== 'AC' && !this.sent.jury.has(keyOf(run))) return;
    this.refresh(run.problemId);
  }

  /** Compares the balloons of one problem (first-to-solve is per problem) with what was sent. */
  private refresh(problemId: string): void {
    this.diff(this.store.balloons.list(problemId), problemId);
  }

  /** The balloons an audience sees, with the freeze applied (runners) or marked (jury). */
  private view(a: Audience, all: readonly Balloon[]): Balloon[] {
    const clock = this.clock();
    const out: Balloon[] = [];
    for (const b of all) {
      const held = balloonHeldBack(clock, b.submittedAtMs, this.showDuringFreeze);
      if (a === 'jury') out.push(held ? { ...b, frozen: true } : b);
      else if (!held) out.push(b);
    }
    return out;
  }

  /** Appends the differences between `all` (of `problemId`, or every problem when null) and what was sent. */
  private diff(all: readonly Balloon[], problemId: string | null): void {
    for (const a of ['jury', 'runner'] as const) {
      const sent = this.sent[a];
      const now = new Map(this.view(a, all).map((b) => [keyOf(b), b]));
      for (const [k, b] of now) {
        const json = JSON.stringify(b);
        if (sent.get(k)?.json === json) continue;
        sent.set(k, { json, balloon: b });
        this.store.events.appendEvent({ kind: 'balloon', balloon: b }, { roles: ROLES[a] });
      }
      for (const [k, { balloon }] of [...sent]) {
        if (now.has(k) || (problemId !== null && balloon.problemId !== problemId)) continue;
        sent.delete(k);
        this.store.events.appendEvent({ kind: 'balloon', balloon, removed: true }, { roles: ROLES[a] });
      }
    }
  }
}
