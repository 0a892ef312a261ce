/** The room's store: the migration that allows balloon accounts, printouts' page budget, balloons. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './index.ts';
import { judged, seededStore } from '../../test-utils/store-fixtures.ts';

const ROOM = 'printouts, balloons, team locations and balloon runner accounts';

describe('migration: ' + ROOM, () => {
  it('rebuilds accounts with their sessions kept, and then takes a balloon account', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const at = MIGRATIONS.findIndex((m) => m.name === ROOM);
    expect(at).toBeGreaterThan(0);
    migrate(db, MIGRATIONS.slice(0, at));
    db.exec("INSERT INTO accounts (username, password_hash, role, display_name, created_at_ms) VALUES ('jury', 'h', 'judge', 'Jury', 1)");
    db.exec("INSERT INTO sessions (token_hash, account_id, created_at_ms, expires_at_ms) VALUES ('t', 1, 1, 2)");
    expect(() => db.exec("INSERT INTO accounts (username, password_hash, role, display_name, created_at_ms) VALUES ('r', 'h', 'balloon', 'R', 1)")).toThrow(/CHECK/);
    migrate(db);
    expect(db.prepare('SELECT a.username FROM sessions s JOIN accounts a ON a.id = s.account_id').pluck().all()).toEqual(['jury']);
    db.exec("INSERT INTO accounts (username, password_hash, role, display_name, created_at_ms) VALUES ('r', 'h', 'balloon', 'R', 1)");
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.exec("INSERT INTO sessions (token_hash, account_id, created_at_ms, expires_at_ms) VALUES ('u', 99, 1, 2)")).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('printouts and balloons', () => {
  it('a printout past the page budget is refused and stored nothing; others count per team', () => {
    const store = seededStore();
    expect(store.printouts.add({ teamId: 't1', fileName: 'a.c', text: 'x', pages: 3 }, 4)).not.toBeNull();
    expect(store.printouts.add({ teamId: 't1', fileName: 'b.c', text: 'x', pages: 2 }, 4)).toBeNull();
    expect(store.printouts.add({ teamId: 't2', fileName: 'b.c', text: 'x', pages: 2 }, 4)).not.toBeNull();
    expect([store.printouts.pagesUsed('t1'), store.printouts.list().length]).toEqual([3, 2]);
  });

  it('a balloon per first AC, the first solve marked; a WA makes none; a disabled team has none; done is kept', () => {
    const store = seededStore();
    judged(store, 't2', 'WA');
    judged(store, 't2');
    judged(store, 't1');
    judged(store, 't2');
    expect(store.balloons.list().map((b) => [b.teamId, b.firstToSolve])).toEqual([['t2', true], ['t1', false]]);
    expect(store.balloons.setDone('t1', 'hello', true, 'runner')!.done).toBe(true);
    expect(store.balloons.setDone('t1', 'sum', true, 'runner')).toBeUndefined();
    store.accounts.setTeamEnabled('t2', false);
    expect(store.balloons.list().map((b) => [b.teamId, b.done, b.doneBy])).toEqual([['t1', true, 'runner']]);
  });
});

const RUNNER_EVENTS = 'balloon runners read their own events';

describe('migration: ' + RUNNER_EVENTS, () => {
  it('makes the public events so far the runners’ too, numbered as the public numbered them; jury balloon events stay the jury’s', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const at = MIGRATIONS.findIndex((m) => m.name === RUNNER_EVENTS);
    expect(at).toBeGreaterThan(0);
    migrate(db, MIGRATIONS.slice(0, at));
    const add = db.prepare("INSERT INTO events (at_ms, kind, payload, audience, pub_no, jury_no) VALUES (1, ?, '{}', ?, ?, ?)");
    add.run('clock', 1 | 2 | 4 | 8, 1, 1);
    add.run('juryJudging', 4 | 8, null, 2);
    add.run('balloon', 4 | 8, null, 3);
    add.run('scoreboard', 1 | 2, 2, null);
    migrate(db);
    expect(db.prepare('SELECT kind, audience, balloon_no FROM events ORDER BY seq').all()).toEqual([
      { kind: 'clock', audience: 31, balloon_no: 1 },
      { kind: 'juryJudging', audience: 12, balloon_no: null },
      { kind: 'balloon', audience: 12, balloon_no: null },
      { kind: 'scoreboard', audience: 19, balloon_no: 2 },
    ]);
    // Still append-only.
    expect(() => db.exec('UPDATE events SET balloon_no = 9')).toThrow(/append-only/);
    db.close();
  });
});
