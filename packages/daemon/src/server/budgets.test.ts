import { describe, expect, it } from 'vitest';
import { BudgetRefusal, Budgets } from './budgets.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const refusal = (fn: () => unknown): BudgetRefusal => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BudgetRefusal) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('budgets', () => {
  it('shares a team budget between all its connections and says how long to wait', () => {
    const c = clock();
    const b = new Budgets({ teamSubmissions: { burst: 3, perMinute: 3 } }, c.now);
    for (let i = 0; i < 3; i++) b.takeTeam('submissions', 't1');
    const r = refusal(() => b.takeTeam('submissions', 't1'));
    expect(r.message).toBe('too many submissions from your team: wait 20 s');
    expect(r.waitMs).toBe(20_000);
    b.takeTeam('submissions', 't2'); // another team has its own
    c.advance(20_000);
    b.takeTeam('submissions', 't1');
  });

  it('counts HTTP sockets per address and in all, evicting the oldest when all are taken', () => {
    const b = new Budgets({ httpConnections: 4, httpPerAddress: 2 });
    const evicted: string[] = [];
    const a1 = b.admitSocket('a', () => evicted.push('a1'));
    b.admitSocket('a', () => evicted.push('a2'));
    expect(refusal(() => b.admitSocket('a')).message).toBe('too many HTTP connections from a (2): close idle ones');
    b.admitSocket('b');
    b.admitSocket('c');
    expect(b.open.http).toBe(4);
    b.admitSocket('d');
    expect(evicted).toEqual(['a1']);
    expect(b.open.http).toBe(4);
    a1.release(); // released by the eviction already: counted once
    expect(b.open.http).toBe(4);
    b.admitSocket('a'); // a has one again, so room for another
  });

  it('keeps anonymous sockets out of the room reserved for logged-in users', () => {
    const b = new Budgets({ totalConnections: 10, pendingConnections: 4, pendingPerAddress: 3, publicConnections: 5, publicPerAddress: 2 });
    const evicted: number[] = [];
    const idle = [0, 1, 2].map((i) => b.admit('a', () => evicted.push(i)));
    expect(refusal(() => b.admit('a')).message).toMatch(/too many connections from a that have not said hello/);
    // Pending full in all: the oldest pending socket is closed, the newcomer is let in.
    const x = b.admit('x');
    b.admit('y');
    expect(evicted).toEqual([0]);
    expect(x.class).toBe('pending');
    expect(b.open.pending).toBe(4);
    x.release();
    // Spectators: two per address, then a hello leaves the socket pending (it may still log in).
    for (const i of idle) i.release();
    const s1 = b.admit('s');
    const s2 = b.admit('s');
    const s3 = b.admit('s');
    expect([s1.hello(), s2.hello()]).toEqual([null, null]);
    expect(s3.hello()).toMatch(/too many connections without a login from s \(2\)/);
    s3.loggedIn();
    expect(s3.class).toBe('user');
    s1.loggedIn();
    s1.loggedOut();
    expect(s1.class).toBe('public');
    for (const a of [s1, s2, s3]) a.release();
  });

  it('takes a login token before the check, keeps it on failure, gives it back on success', async () => {
    const c = clock();
    const b = new Budgets({ addressLogins: { burst: 3, perMinute: 1 } }, c.now);
    let checks = 0;
    const wrong = () => b.guardLogin('1.2.3.4', `u${checks}`, async () => (checks++, null));
    const attempts = await Promise.allSettled(Array.from({ length: 10 }, wrong));
    expect(checks).toBe(3);
    expect(attempts.filter((a) => a.status === 'rejected')).toHaveLength(7);
    await expect(b.guardLogin('1.2.3.4', 'x', async () => 'ok')).rejects.toThrow(/too many login attempts from 1.2.3.4: wait \d+ s/);
    c.advance(60_000);
    expect(await b.guardLogin('1.2.3.4', 'x', async () => 'ok')).toBe('ok');
    expect(await b.guardLogin('1.2.3.4', 'x', async () => 'ok')).toBe('ok'); // success gave the token back
  });

  it('backs off an account after wrong passwords in a row, doubling, from any address; a success clears it', async () => {
    const c = clock();
    const b = new Budgets({ accountFreeFailures: 2, accountBackoffFirstMs: 1000, accountBackoffMaxMs: 8000 }, c.now);
    const guess = (addr: string, ok = false) => b.guardLogin(addr, 'team1', async () => (ok ? 'in' : null));
    expect(await guess('a')).toBeNull();
    expect(await guess('b')).toBeNull();
    expect(await guess('c')).toBeNull(); // third: now waits 1 s
    await expect(guess('d', true)).rejects.toThrow('too many wrong passwords for team1: wait 1 s before trying again');
    c.advance(1000);
    expect(await guess('e')).toBeNull(); // fourth: 2 s
    c.advance(1999);
    await expect(guess('f')).rejects.toThrow(/wait 1 s/);
    c.advance(1);
    expect(await guess('g', true)).toBe('in');
    expect(await guess('h')).toBeNull(); // cleared: free failures again
  });
});
