import { describe, expect, it } from 'vitest';
import type { Role } from '@judged/shared/protocol';
import type { StoredEvent } from '../store/index.ts';
import { coalesceScoreboards, FanOut, type ReaderSeq, type Subscriber } from './fanout.ts';
import type { TextFrame } from './ws-frame.ts';

// The log position as every reader's number: these tests are about routing (reader numbers: core tests).
const bySeq: ReaderSeq = (e) => e.seq;
const numbers = { pubNo: null, juryNo: null, balloonNo: null, sharedNo: null, ownNo: null, teamSeq: null };

function sub(role: Role, teamId: string | null = null, buffered = 0) {
  const got: number[] = [];
  const raw: Buffer[] = [];
  const frames: TextFrame[] = [];
  let dropped = false;
  const s: Subscriber = {
    viewer: { role, teamId },
    deliveredSeq: 0,
    sendFrame: (f) => {
      frames.push(f);
      raw.push(f.payload);
      got.push(JSON.parse(f.payload.toString()).seq);
    },
    bufferedBytes: () => buffered,
    dropSlow: () => (dropped = true),
  };
  return { s, got, raw, frames, dropped: () => dropped };
}

const clock = { kind: 'clock' } as unknown as StoredEvent['event'];
function ev(seq: number, roles: Role[], teamId: string | null = null): StoredEvent {
  return { seq, atMs: 1, event: clock, audience: { roles, teamId }, numbers };
}

describe('FanOut', () => {
  it('delivers each event only to the roles and team in its audience', () => {
    const f = new FanOut(bySeq);
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

  it('balloon runners are a class of their own: their events (public ones carry the role too), never the jury\'s', () => {
    const numbered: ReaderSeq = (e, v) => (v.role === 'balloon' ? 100 + e.seq : e.seq);
    const f = new FanOut(numbered);
    const pub = sub('public');
    const r1 = sub('balloon');
    const r2 = sub('balloon');
    const judge = sub('judge');
    for (const x of [pub, r1, r2, judge]) f.add(x.s);
    f.publish(ev(1, ['public', 'team', 'judge', 'admin', 'balloon']));
    f.publish(ev(2, ['balloon']));
    f.publish(ev(3, ['judge', 'admin']));
    f.publish(ev(4, ['balloon', 'judge', 'admin']));
    expect(pub.got).toEqual([1]);
    expect(r1.got).toEqual([101, 102, 104]);
    expect(r2.got).toEqual([101, 102, 104]);
    expect(judge.got).toEqual([1, 3, 4]);
    // One buffer for both runners.
    expect(r1.frames[1]).toBe(r2.frames[1]);
  });

  it('encodes an event once per reader class however many clients of it get it', () => {
    const numbered: ReaderSeq = (e, v) => (v.role === 'public' ? 7 : v.teamId === 't0' ? 3 : 4);
    const f = new FanOut(numbered);
    const pubs = Array.from({ length: 50 }, () => sub('public'));
    const team0 = Array.from({ length: 3 }, () => sub('team', 't0'));
    const team1 = sub('team', 't1');
    for (const x of [...pubs, ...team0, team1]) f.add(x.s);
    f.publish(ev(1, ['public', 'team']));
    expect(f.stats.encodes).toBe(3);
    expect(f.stats.sends).toBe(54);
    expect(new Set(pubs.map((p) => p.raw[0])).size).toBe(1);
    expect(new Set(team0.map((t) => t.raw[0])).size).toBe(1);
    expect([pubs[0]!.got, team0[0]!.got, team1.got]).toEqual([[7], [3], [4]]);
    // One frame object per class: its wire bytes (header + JSON) are built once and shared.
    expect(new Set(pubs.map((p) => p.frames[0])).size).toBe(1);
    expect(new Set(team0.map((t) => t.frames[0])).size).toBe(1);
    expect(pubs[0]!.frames[0]).not.toBe(team1.frames[0]);
    expect(pubs[0]!.frames[0]!.wire).toBe(pubs[49]!.frames[0]!.wire);
  });

  it('numbers an event to every team for all teams in one call when it can', () => {
    const calls: string[][] = [];
    const perViewer: string[] = [];
    const f = new FanOut(
      (e, v) => (perViewer.push(v.teamId ?? v.role), 99),
      undefined,
      undefined,
      (e, teamIds) => (calls.push([...teamIds]), new Map(teamIds.map((t, i) => [t, 10 + i]))),
    );
    const teams = ['a', 'b', 'c'].map((t) => [sub('team', t), sub('team', t)]);
    const pub = sub('public');
    for (const x of [...teams.flat(), pub]) f.add(x.s);
    f.publish(ev(1, ['public', 'team']));
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(teams.map(([x, y]) => [x!.got, y!.got])).toEqual([[[10], [10]], [[11], [11]], [[12], [12]]]);
    expect(perViewer).toEqual(['public']);
    // One team's own event is numbered for that team alone.
    f.publish(ev(2, ['team'], 'b'));
    expect(calls).toHaveLength(1);
    expect(perViewer).toEqual(['public', 'b']);
  });

  it('keeps the CPU time of each public fan-out beside its wall time', () => {
    const f = new FanOut(bySeq);
    for (let i = 0; i < 20; i++) f.add(sub('public').s);
    f.add(sub('judge').s);
    f.publish(ev(1, ['public', 'judge']));
    f.publish(ev(2, ['judge']));
    expect([f.broadcastMs.count, f.broadcastCpuMs.count, f.publishMs.count]).toEqual([1, 1, 2]);
    expect(f.broadcastCpuMs.quantile(0.5)).toBeGreaterThanOrEqual(0);
  });

  it('skips events a client already got during resume replay', () => {
    const f = new FanOut(bySeq);
    const a = sub('public');
    a.s.deliveredSeq = 5;
    f.add(a.s);
    f.publish(ev(5, ['public']));
    f.publish(ev(6, ['public']));
    expect(a.got).toEqual([6]);
  });

  it('drops a client whose socket buffer is over the limit', () => {
    const f = new FanOut(bySeq, 100);
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
    const f = new FanOut(bySeq);
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
  return { seq, atMs: 1, event: { kind: 'scoreboard', view, frozen: false, rows }, audience: { roles, teamId: null }, numbers };
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
    const f = new FanOut(bySeq);
    const pub = sub('public');
    f.add(pub.s);
    for (let i = 1; i <= 100; i++) f.enqueue(board(i, 'public', [[`t${i}`, 0]]));
    expect(pub.got).toEqual([]);
    await Promise.resolve();
    expect(pub.got).toEqual([100]);
    expect(JSON.parse(pub.raw[0]!.toString()).event.rows).toHaveLength(100);
  });
});

describe('FanOut in slices', () => {
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

  it('sends a large fan-out a slice per turn of the event loop, and later events after it, in order', async () => {
    const f = new FanOut(bySeq, undefined, 10);
    const pubs = Array.from({ length: 25 }, () => sub('public'));
    for (const p of pubs) f.add(p.s);
    f.publish(ev(1, ['public']));
    f.publish(ev(2, ['public']));
    expect(f.stats.sends).toBe(10);
    await turn();
    expect(f.stats.sends).toBe(20);
    for (let i = 0; i < 5; i++) await turn();
    expect(f.stats.sends).toBe(50);
    for (const p of pubs) expect(p.got).toEqual([1, 2]);
    expect(f.publishMs.count).toBe(2);
    expect(f.broadcastMs.count).toBe(2);
  });

  it('gives a waiting event to a client that re-subscribes meanwhile, and not to one that left', async () => {
    const f = new FanOut(bySeq, undefined, 1);
    const first = sub('public');
    const leaving = sub('public');
    const pub = sub('public');
    for (const x of [first, leaving, pub]) f.add(x.s);
    f.publish(ev(1, ['public', 'team']));
    expect(first.got).toEqual([1]);
    // pub logs in as team t1: its public subscription is replaced by a team one, nothing delivered yet.
    f.remove(pub.s);
    const asTeam = sub('team', 't1');
    f.add(asTeam.s);
    f.remove(leaving.s);
    for (let i = 0; i < 4; i++) await turn();
    expect(asTeam.got).toEqual([1]);
    expect(pub.got).toEqual([]);
    expect(leaving.got).toEqual([]);
  });
});

describe('FanOut merging scoreboard changes that wait', () => {
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

  it('merges board changes waiting behind a fan-out into one frame, dated by the oldest, and keeps other events in order', async () => {
    const f = new FanOut(bySeq, undefined, 2);
    const pubs = Array.from({ length: 4 }, () => sub('public'));
    const team = sub('team', 't1');
    for (const x of [...pubs, team]) f.add(x.s);
    f.publish(ev(1, ['public']));
    f.publish({ ...board(2, 'public', [['a', 1]]), atMs: 10 });
    f.publish({ ...board(3, 'public', [['b', 1]]), atMs: 20 });
    f.publish(ev(4, ['team'], 't1'));
    f.publish({ ...board(5, 'public', [['a', 2]]), atMs: 30 });
    f.publish({ ...board(6, 'public', [['c', 1]]), atMs: 40 });
    for (let i = 0; i < 10; i++) await turn();
    // 2, 3, 5 and 6 go out as one change, numbered 6, after the team's event 4.
    expect(pubs[0]!.got).toEqual([1, 6]);
    expect(team.got).toEqual([4, 6]);
    const frame = JSON.parse(pubs[0]!.raw[1]!.toString());
    expect(frame.atMs).toBe(10);
    expect(frame.event.rows.map((r: { teamId: string; solved: number }) => [r.teamId, r.solved])).toEqual([['a', 2], ['b', 1], ['c', 1]]);
  });

  it('gives the merged change to a client that subscribed between the two changes', async () => {
    const f = new FanOut(bySeq, undefined, 1);
    const a = sub('public');
    const b = sub('public');
    f.add(a.s);
    f.add(b.s);
    f.publish(ev(1, ['public']));
    f.publish(board(2, 'public', [['a', 1]]));
    const late = sub('public');
    late.s.deliveredSeq = 2; // its replay went up to 2
    f.add(late.s);
    f.publish(board(3, 'public', [['b', 1]]));
    for (let i = 0; i < 10; i++) await turn();
    expect(late.got).toEqual([3]);
    expect(a.got).toEqual([1, 3]);
  });

  it('keeps a removal across merged changes unless the team comes back', () => {
    const rm = (seq: number, id: string): StoredEvent => {
      const e = board(seq, 'public', []);
      return { ...e, event: { ...e.event, removedTeamIds: [id] } as StoredEvent['event'] };
    };
    const [gone] = coalesceScoreboards([board(1, 'public', [['a', 1], ['b', 1]]), rm(2, 'a')]);
    expect(gone!.event.kind === 'scoreboard' && [gone!.event.rows.map((r) => r.teamId), gone!.event.removedTeamIds]).toEqual([['b'], ['a']]);
    const [back] = coalesceScoreboards([rm(1, 'a'), board(2, 'public', [['a', 0]])]);
    expect(back!.event.kind === 'scoreboard' && [back!.event.rows.map((r) => r.teamId), back!.event.removedTeamIds]).toEqual([['a'], undefined]);
  });
});
