import { describe, expect, it } from 'vitest';
import { FanOut, type ClientClass, type Subscriber } from './fanout.ts';

function sub(cls: ClientClass, buffered = 0) {
  const got: unknown[] = [];
  const raw: Buffer[] = [];
  let dropped = false;
  const s: Subscriber = {
    cls,
    deliveredSeq: 0,
    sendEncoded: (d) => {
      raw.push(d);
      got.push(JSON.parse(d.toString()));
    },
    bufferedBytes: () => buffered,
    dropSlow: () => (dropped = true),
  };
  return { s, got, raw, dropped: () => dropped };
}

describe('FanOut', () => {
  it('routes each variant to its class and falls back to public', () => {
    const f = new FanOut();
    const pub = sub({ kind: 'public' });
    const jury = sub({ kind: 'jury' });
    const t1 = sub({ kind: 'team', teamId: 't1' });
    const t2 = sub({ kind: 'team', teamId: 't2' });
    for (const x of [pub, jury, t1, t2]) f.add(x.s);

    f.publish({ seq: 1, public: { p: 1 }, jury: { j: 1 }, team: { teamId: 't1', frame: { t: 1 } } });
    expect(pub.got).toEqual([{ p: 1 }]);
    expect(jury.got).toEqual([{ j: 1 }]);
    expect(t1.got).toEqual([{ t: 1 }]);
    expect(t2.got).toEqual([{ p: 1 }]);

    // A team-only event (a team's own submission) reaches that team and the jury, nobody else.
    f.publish({ seq: 2, jury: { j: 2 }, team: { teamId: 't2', frame: { t: 2 } } });
    expect(pub.got).toHaveLength(1);
    expect(t1.got).toHaveLength(1);
    expect(t2.got).toEqual([{ p: 1 }, { t: 2 }]);
    expect(jury.got).toEqual([{ j: 1 }, { j: 2 }]);

    // Jury falls back to the public frame.
    f.publish({ seq: 3, public: { p: 3 } });
    expect(jury.got.at(-1)).toEqual({ p: 3 });
  });

  it('encodes once per class however many clients there are', () => {
    const f = new FanOut();
    const teams = Array.from({ length: 50 }, (_, i) => sub({ kind: 'team', teamId: `t${i}` }));
    for (const t of teams) f.add(t.s);
    f.publish({ seq: 1, public: { board: [1, 2, 3] } });
    expect(f.stats.encodes).toBe(1);
    expect(f.stats.sends).toBe(50);
    // The very same buffer went to every client.
    expect(new Set(teams.map((t) => t.raw[0])).size).toBe(1);
  });

  it('skips events a client already got during resume replay', () => {
    const f = new FanOut();
    const a = sub({ kind: 'public' });
    a.s.deliveredSeq = 5;
    f.add(a.s);
    f.publish({ seq: 5, public: { n: 5 } });
    f.publish({ seq: 6, public: { n: 6 } });
    expect(a.got).toEqual([{ n: 6 }]);
  });

  it('drops a client whose socket buffer is over the limit', () => {
    const f = new FanOut(100);
    const slow = sub({ kind: 'public' }, 1000);
    const ok = sub({ kind: 'public' }, 0);
    f.add(slow.s);
    f.add(ok.s);
    f.publish({ seq: 1, public: { x: 1 } });
    expect(slow.dropped()).toBe(true);
    expect(slow.got).toEqual([]);
    expect(ok.got).toEqual([{ x: 1 }]);
    expect(f.size).toBe(1);
  });
});
