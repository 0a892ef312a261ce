/**
 * Random contests: after every kind of change (submissions, verdicts, rejudges, JE, team disabled and
 * enabled, freeze, unfreeze) the incrementally kept boards must equal boards rebuilt from the
 * database, and a client that took a snapshot and then followed the scoreboard events must hold the
 * same rows.
 */
import { describe, expect, it } from 'vitest';
import type { ScoreboardRow } from '@judged/shared/protocol';
import { applyRowUpdates, rankRows } from '@judged/shared/scoring';
import type { Verdict } from '@judged/shared/verdict';
import { acResult, manualClock, problem } from '../../test-utils/store-fixtures.ts';
import { ContestError, openContest } from './index.ts';

function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    // The high bits: an LCG's low bits repeat with a short period.
    return Math.floor((s / 2 ** 31) * n);
  };
}

const VERDICTS: Verdict[] = ['AC', 'WA', 'TLE', 'RTE', 'CE', 'AC', 'WA'];

describe('incremental scoreboard on random contests', () => {
  for (const seed of [1, 7, 42]) {
    it(`seed ${seed}: incremental = rebuilt = what event followers hold`, () => {
      const rnd = rng(seed);
      const clock = manualClock();
      const o = openContest({ dataDir: ':memory:', problems: [problem('a', 'A'), problem('b', 'B'), problem('c', 'C')], now: clock.now });
      const teams = ['team1', 'team2', 'team3', 'team4'];
      const follower = {
        public: { rows: o.contest.scoreboard('public').rows as ScoreboardRow[], since: o.store.events.headSeq() },
        jury: { rows: o.contest.scoreboard('jury').rows as ScoreboardRow[], since: o.store.events.headSeq() },
      };
      const follow = () => {
        for (const view of ['public', 'jury'] as const) {
          const viewer = view === 'public' ? { role: 'public' as const, teamId: null } : { role: 'judge' as const, teamId: null };
          for (const e of o.store.events.eventsSince(follower[view].since, viewer, 100_000)) {
            if (e.event.kind === 'scoreboard' && e.event.view === view) {
              const gone = new Set(e.event.removedTeamIds ?? []);
              const kept = gone.size > 0 ? rankRows(follower[view].rows.filter((r) => !gone.has(r.teamId))) : follower[view].rows;
              follower[view].rows = applyRowUpdates(kept, e.event.rows);
            }
            follower[view].since = e.seq;
          }
        }
      };
      const judgeOne = () => {
        const job = o.store.queue.claim('w', 60_000);
        if (!job) return;
        const v = VERDICTS[rnd(VERDICTS.length)]!;
        if (rnd(10) === 0) o.store.queue.fail(job.judgingId, 'w', 'random judge failure');
        else o.store.queue.complete(job.judgingId, 'w', { ...acResult(2), verdict: v, testsPassed: v === 'AC' ? 2 : 0 });
      };
      let frozenDone = false;
      for (let step = 0; step < 250; step++) {
        clock.advance(rnd(90_000));
        const op = rnd(20);
        if (op < 9) {
          const team = teams[rnd(4)]!;
          if (o.store.accounts.team(team)!.enabled) o.contest.submit(team, { problemId: ['a', 'b', 'c'][rnd(3)]!, language: 'cpp', files: [{ name: 'x.cpp', source: 's' }] });
        }
        else if (op < 16) judgeOne();
        else if (op === 16) {
          // Rejudge (reviewed or auto-applied), or decide a finished pending rejudging.
          const ready = o.store.rejudgings.list().find((r) => r.state === 'pending' && r.doneCount === r.submissionCount);
          const subs = o.store.submissions.all();
          if (ready && rnd(2) === 0) o.contest.decideRejudging(ready.id, rnd(3) === 0 ? 'cancel' : 'apply', 'j');
          else if (subs.length) {
            try {
              o.contest.rejudge({ kind: 'submission', submissionId: subs[rnd(subs.length)]!.id }, { byUsername: 'j', autoApply: rnd(2) === 0 });
            } catch (err) {
              if (!(err instanceof ContestError && err.code === 'conflict')) throw err;
            }
          }
        } else if (op === 17) o.contest.setTeamEnabled(teams[rnd(4)]!, rnd(2) === 0);
        else if (op === 18 && !frozenDone && o.contest.clock().state === 'running') {
          o.contest.control('freezeNow');
          frozenDone = true;
        } else o.contest.tick();
        if (step % 10 === 0) {
          // Snapshots are cached until the board changes: one taken now must still be right later.
          follow();
          expect(follower.public.rows).toEqual(o.contest.scoreboard('public').rows);
          expect(follower.jury.rows).toEqual(o.contest.scoreboard('jury').rows);
          for (const r of o.contest.scoreboard('jury').rows) r.rank = 99; // a reader's copy: not the cache
        }
      }
      while (o.store.queue.counts().queued > 0) judgeOne();
      // With some teams still disabled, followers must have dropped their rows.
      o.contest.setTeamEnabled('team2', false);
      follow();
      expect(follower.public.rows).toEqual(o.contest.scoreboard('public').rows);
      expect(follower.jury.rows).toEqual(o.contest.scoreboard('jury').rows);
      for (const t of teams) o.contest.setTeamEnabled(t, true);
      follow();

      const incremental = { public: o.contest.scoreboard('public'), jury: o.contest.scoreboard('jury') };
      expect(follower.public.rows).toEqual(incremental.public.rows);
      expect(follower.jury.rows).toEqual(incremental.jury.rows);
      o.contest.scoreboards.rebuild();
      expect(o.contest.scoreboard('public')).toEqual(incremental.public);
      expect(o.contest.scoreboard('jury')).toEqual(incremental.jury);
      // Something actually happened on the board.
      expect(incremental.jury.rows.some((r) => r.solved > 0)).toBe(true);

      expect(frozenDone).toBe(true); // the freeze path was exercised
      {
        clock.advance(6 * 3600_000);
        o.contest.tick();
        o.contest.control('unfreeze');
        follow();
        expect(follower.public.rows).toEqual(o.contest.scoreboard('public').rows);
        // Revealed: the public board now shows what the jury saw.
        expect(o.contest.scoreboard('public').rows).toEqual(o.contest.scoreboard('jury').rows);
      }
      o.contest.close();
      o.store.close();
    });
  }
});
