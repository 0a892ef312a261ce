import { describe, expect, it } from 'vitest';
import type { Role } from '@judged/shared/protocol';
import type { StoredEvent } from '../store/index.ts';
import { coalesceScoreboards, FanOut, type Subscriber } from './fanout.ts';

function sub(role: Role, teamId: string | null = null, buffered = 0) {
  const got: number[] = [];
  const raw: Buffer[] = [];
  let dropped = false;
  const s: Subscriber = {
    viewer: { role, teamId },
    deliveredSeq: 0,
    sendEncoded: (d) => {
      raw.push(d);
      got.push(JSON.parse(d.toString()).seq);
    },
    bufferedBytes: () => buffered,
    dropSlow: () => (dropped = true),
  };
  return { s, got, raw, dropped: () => dropped };
}

const clock = { kind: 'clock' } as unknown as StoredEvent['event'];
function ev(seq: number, roles: Role[], teamId: string | null = null): StoredEvent {
  return { seq, atMs: 1, event: clock, audience: { roles, teamId } };
}

describe('FanOut', () => {
  it('delivers each event only to the roles and team in its audience', () => {
    const f = new FanOut();
    const pub = sub('public');
    const judge = sub('judge');
    const admin = sub('admin');
    const t1 = sub('team', 't1');
    const t2 = sub('team', 't2');
    for (const x of [pub, judge, admin, t1, t2]) f.add(x.s);

    f.publish(ev(1, ['public', 'team', 'judge', 'admin']));
    f.publish(ev(2, ['team', 'judge', 'admin'], 't1'));
    f.publish(ev(3, ['judge', 'admin']));
    f.publish(ev(4, ['team']));
    f.publish(ev(5, ['admin']));
    expect(pub.got).toEqual([1]);
    expect(t1.got).toEqual([1, 2, 4]);
    expect(t2.got).toEqual([1, 4]);
    expect(judge.got).toEqual([1, 2, 3]);
    expect(admin.got).toEqual([1, 2, 3, 5]);
  });

  it('encodes an event once however many clients get it', () => {
    const f = new FanOut();
    const teams = Array.from({ length: 50 }, (_, i) => sub('team', `t${i}`));
    for (const t of teams) f.add(t.s);
    f.publish(ev(1, ['public', 'team']));
    expect(f.stats.encodes).toBe(1);
    expect(f.stats.sends).toBe(50);
    expect(new Set(teams.map((t) => t.raw[0])).size).toBe(1);
  });

  it('skips events a client already got during resume replay', () => {
    const f = new FanOut();
    const a = sub('public');
    a.s.deliveredSeq = 5;
    f.add(a.s);
    f.publish(ev(5, ['public']));
    f.publish(ev(6, ['public']));
    expect(a.got).toEqual([6]);
  });

  it('drops a client whose socket buffer is over the limit', () => {
    const f = new FanOut(100);
    const slow = sub('public', null, 1000);
    const ok = sub('public');
    f.add(slow.s);
    f.add(ok.s);
    f.publish(ev(1, ['public']));
    expect(slow.dropped()).toBe(true);
    expect(slow.got).toEqual([]);
    expect(ok.got).toEqual([1]);
    expect(f.size).toBe(1);
  });

  it('forgets removed subscribers', () => {
    const f = new FanOut();
    const t = sub('team', 't1');
    f.add(t.s);
    f.remove(t.s);
    f.publish(ev(1, ['team'], 't1'));
    expect(t.got).toEqual([]);
    expect(f.size).toBe(0);
  });
});

function board(seq: number, view: 'public' | 'jury', teams: Array<[string, number]>): StoredEvent {
  const rows = teams.map(([teamId, solved]) => ({ rank: 1, teamId, teamName: teamId, organization: null, solved, penaltyMin: 0, lastAcMin: null, cells: [] }));
  const roles: Role[] = view === 'public' ? ['public', 'team', 'judge', 'admin'] : ['judge', 'admin'];
  return { seq, atMs: 1, event: { kind: 'scoreboard', view, frozen: false, rows }, audience: { roles, teamId: null } };
}

describe('coalesceScoreboards', () => {
  it('merges a batch of scoreboard events per view into the last one, later rows winning', () => {
    const sub = ev(2, ['team'], 't1');
    const out = coalesceScoreboards([board(1, 'public', [['a', 0]]), sub, board(3, 'jury', [['a', 0]]), board(4, 'public', [['b', 1]]), board(5, 'public', [['a', 2]]), board(6, 'jury', [['a', 1]])]);
    expect(out.map((e) => e.seq)).toEqual([2, 5, 6]);
    const pub = out[1]!.event;
    expect(pub.kind === 'scoreboard' && pub.rows.map((r) => [r.teamId, r.solved])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    const jury = out[2]!.event;
    expect(jury.kind === 'scoreboard' && jury.rows.map((r) => r.solved)).toEqual([1]);
  });

  it('leaves a batch without repeated scoreboards as it is', () => {
    const batch = [ev(1, ['team'], 't1'), board(2, 'public', [['a', 1]]), board(3, 'jury', [['a', 1]])];
    expect(coalesceScoreboards(batch)).toEqual(batch);
  });

  it('enqueue sends one merged frame per batch, after the synchronous run', async () => {
    const f = new FanOut();
    const pub = sub('public');
    f.add(pub.s);
    for (let i = 1; i <= 100; i++) f.enqueue(board(i, 'public', [[`t${i}`, 0]]));
    expect(pub.got).toEqual([]);
    await Promise.resolve();
    expect(pub.got).toEqual([100]);
    expect(JSON.parse(pub.raw[0]!.toString()).event.rows).toHaveLength(100);
  });
});
