import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canSeeEvent, migrate, MIGRATIONS, openDatabase, openStore, schemaVersion, SCHEMA_VERSION, verifyPassword, hashPassword } from './index.ts';
import { acResult, seededStore, submit } from '../../test-utils/store-fixtures.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('database and migrations', () => {
  it('migrates an empty database to the latest version and re-opens without re-applying', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
    const again = openDatabase(dir);
    expect(migrate(again)).toEqual([]);
    const rows = again.prepare('SELECT version FROM schema_version').all();
    expect(rows).toHaveLength(MIGRATIONS.length);
    again.close();
  });

  it('applies only the newer migrations, in order, and rolls back a failing one whole', () => {
    const db = openDatabase(':memory:');
    const extra = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'add x', up: (d: typeof db) => d.exec('CREATE TABLE x (a INTEGER)') },
      {
        version: SCHEMA_VERSION + 2,
        name: 'broken',
        up: (d: typeof db) => {
          d.exec('CREATE TABLE y (a INTEGER)');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, extra)).toThrow();
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('x', 'y')").all()).toEqual([{ name: 'x' }]);
    db.close();
  });

  it('refuses a database from a newer judged', () => {
    const db = openDatabase(':memory:');
    db.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(SCHEMA_VERSION + 5, 'future', 0);
    expect(() => migrate(db)).toThrow(/newer than this judged knows/);
    db.close();
  });

  it('keeps the event log append-only', () => {
    const store = seededStore();
    expect(() => store.db.prepare('UPDATE events SET kind = ?').run('x')).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    store.close();
  });
});

describe('event log', () => {
  it('writes events in the same transaction as the change and tells listeners only after commit', () => {
    const store = seededStore();
    const heard: number[] = [];
    store.events.onEvent((e) => heard.push(e.seq));
    const before = store.events.headSeq();
    expect(() =>
      store.tx(() => {
        submit(store, 't1');
        expect(heard).toEqual([]);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(store.events.headSeq()).toBe(before);
    expect(store.submissions.all()).toHaveLength(0);
    expect(heard).toEqual([]);
    submit(store, 't1');
    expect(heard.length).toBeGreaterThan(0);
    expect(store.events.headSeq()).toBe(heard[heard.length - 1]);
    store.close();
  });

  it("a team's verdict: the validator's teammessage, samples and full-feedback tests in full, never a judgemessage", () => {
    const store = seededStore();
    const s1 = submit(store, 't1');
    const job = store.queue.claim('w', 60_000)!;
    const r = acResult(4);
    r.verdict = 'WA';
    r.testsPassed = 2;
    r.runs[2] = { ...r.runs[2]!, verdict: 'WA', judgeMessage: 'jury: line 1 wrong', teamMessage: 'read the statement again', fullFeedback: true, input: '5\n', expected: 'odd\n', got: 'even\n', stderrExcerpt: 'warn\n' };
    r.runs[3] = { ...r.runs[3]!, verdict: 'WA', judgeMessage: 'jury: hidden', input: 'secret input\n' };
    r.runs[1] = { ...r.runs[1]!, teamMessage: 'fine so far' };
    expect(store.queue.complete(job.judgingId, 'w', r).accepted).toBe(true);
    const v = store.submissions.teamVerdict(s1.id)!;
    expect(v.teamMessage).toBe('read the statement again');
    expect(v.tests.map((t) => [t.name, t.sample])).toEqual([['sample/1', true], ['secret/2', false]]);
    expect(v.tests[1]).toMatchObject({ input: '5\n', expected: 'odd\n', got: 'even\n', stderr: 'warn\n', teamMessage: 'read the statement again' });
    const wire = JSON.stringify(store.events.eventsSince(0, { role: 'team', teamId: 't1' }));
    expect(wire).toContain('read the statement again');
    expect(wire).not.toContain('jury:');
    expect(wire).not.toContain('secret input');
    // The hidden test's data is not even kept.
    expect(store.submissions.judging(v.judgingId)!.runs[3]!.judgeMessage).toBe('jury: hidden');
    expect(JSON.stringify(store.submissions.judging(v.judgingId))).not.toContain('secret input');
    store.close();
  });

  it('a team sees its own submission events and verdicts, never another team\u2019s', () => {
    const store = seededStore();
    const s1 = submit(store, 't1');
    submit(store, 't2');
    const job = store.queue.claim('w', 60_000)!;
    expect(job.submissionId).toBe(s1.id);
    store.queue.progress(job.judgingId, 'w', { status: 'running', testIndex: 1, testCount: 3 });
    expect(store.queue.complete(job.judgingId, 'w', acResult()).accepted).toBe(true);
    store.clarifications.ask('t1', null, 'why?', 0);

    const t1 = store.events.eventsSince(0, { role: 'team', teamId: 't1' });
    const t2 = store.events.eventsSince(0, { role: 'team', teamId: 't2' });
    const pub = store.events.eventsSince(0, { role: 'public', teamId: null });
    const jury = store.events.eventsSince(0, { role: 'judge', teamId: null });

    const kinds = (l: typeof t1) => l.map((e) => e.event.kind);
    expect(kinds(t1)).toEqual(expect.arrayContaining(['submission', 'progress', 'verdict', 'clarification']));
    // t2 sees only its own submission: no progress, verdict or clarification of t1.
    expect(kinds(t2)).toEqual(['submission']);
    expect(t2.every((e) => e.event.kind !== 'submission' || e.event.submission.id !== s1.id)).toBe(true);
    expect(kinds(t1).some((k) => k.startsWith('jury'))).toBe(false);
    expect(kinds(pub)).toEqual([]);
    expect(kinds(jury)).toEqual(expect.arrayContaining(['jurySubmission', 'juryJudging', 'progress', 'clarification', 'team']));
    expect(kinds(jury)).not.toContain('verdict');
    // The in-memory rule agrees with the SQL filter on every event.
    for (const viewer of [
      { role: 'team' as const, teamId: 't1' },
      { role: 'team' as const, teamId: 't2' },
      { role: 'public' as const, teamId: null },
      { role: 'admin' as const, teamId: null },
    ]) {
      const sql = store.events.eventsSince(0, viewer).map((e) => e.seq);
      const mem = store.events.allEventsSince(0).filter((e) => canSeeEvent(viewer, e)).map((e) => e.seq);
      expect(sql).toEqual(mem);
    }
    store.close();
  });

  it('replays from a sequence number', () => {
    const store = seededStore();
    submit(store, 't1');
    const head = store.events.headSeq();
    submit(store, 't1');
    const later = store.events.eventsSince(head, { role: 'team', teamId: 't1' });
    expect(later.map((e) => e.event.kind)).toEqual(['submission']);
    expect(later[0]!.seq).toBeGreaterThan(head);
    store.close();
  });
});

describe('accounts', () => {
  it('hashes passwords with a salt and checks them', async () => {
    const a = hashPassword('secret-one');
    const b = hashPassword('secret-one');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('secret-one', a)).toBe(true);
    expect(await verifyPassword('secret-two', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('still accepts hashes stored by earlier versions (scryptSync, same format)', async () => {
    // Made with scryptSync('old-db-pass', 16 bytes of 7, 32, {N: 16384, r: 8, p: 1}) before checks went async.
    const stored = 'scrypt$16384$8$1$BwcHBwcHBwcHBwcHBwcHBw$m2WsRC5TS_nWsxHo22b7m7vFGW_1rr9KxI_Gz3-uX-I';
    expect(await verifyPassword('old-db-pass', stored)).toBe(true);
    expect(await verifyPassword('old-db-pasS', stored)).toBe(false);
    const store = seededStore();
    store.accounts.addAccount({ username: 'old', passwordHash: stored, role: 'team', teamId: 't1' });
    expect(await store.accounts.authenticate('old', 'old-db-pass')).toMatchObject({ ok: true, account: { username: 'old' } });
  });

  it('keeps the event loop running while a password is checked', async () => {
    const store = seededStore();
    store.accounts.addAccount({ username: 'team1', password: 'pw-team-1', role: 'team', teamId: 't1' });
    const order: string[] = [];
    const checks = [
      store.accounts.authenticate('team1', 'pw-team-1').then((r) => order.push(`login:${r.ok}`)),
      store.accounts.authenticate('ghost', 'pw').then((r) => order.push(`ghost:${r.ok}`)),
    ];
    // With a blocking hash both checks would finish inside the calls above, before any timer could run.
    await new Promise<void>((resolve) => setTimeout(() => (order.push('timer'), resolve()), 0));
    await Promise.all(checks);
    expect(order[0]).toBe('timer');
    expect(order.slice(1).sort()).toEqual(['ghost:false', 'login:true']);
  });

  it('refuses a login whose account was disabled while its password was being checked', async () => {
    const store = seededStore();
    store.accounts.addAccount({ username: 'team1', password: 'pw-team-1', role: 'team', teamId: 't1' });
    const pending = store.accounts.authenticate('team1', 'pw-team-1');
    store.accounts.setTeamEnabled('t1', false);
    expect(await pending).toEqual({ ok: false, code: 'account_disabled' });
  });

  it('authenticates, refuses disabled accounts and teams, and resumes hashed sessions', async () => {
    const store = seededStore();
    store.accounts.addAccount({ username: 'team1', password: 'pw-team-1', role: 'team', teamId: 't1' });
    expect(await store.accounts.authenticate('team1', 'nope')).toEqual({ ok: false, code: 'bad_credentials' });
    expect(await store.accounts.authenticate('ghost', 'nope')).toEqual({ ok: false, code: 'bad_credentials' });
    const ok = await store.accounts.authenticate('team1', 'pw-team-1');
    expect(ok.ok).toBe(true);
    const acc = ok.ok ? ok.account : null;
    const { token } = store.accounts.createSession(acc!.id, 60_000);
    expect(store.db.prepare('SELECT token_hash FROM sessions').pluck().get()).not.toBe(token);
    expect(store.accounts.resumeSession(token)).toMatchObject({ ok: true, account: { username: 'team1', teamId: 't1' } });
    store.accounts.setTeamEnabled('t1', false);
    expect(await store.accounts.authenticate('team1', 'pw-team-1')).toEqual({ ok: false, code: 'account_disabled' });
    expect(store.accounts.resumeSession(token)).toEqual({ ok: false, code: 'account_disabled' });
    store.accounts.setTeamEnabled('t1', true);
    store.accounts.revokeSession(token);
    expect(store.accounts.resumeSession(token)).toEqual({ ok: false, code: 'session_invalid' });
    expect(store.accounts.pruneSessions()).toBe(1);
    expect(store.accounts.resumeSession('x'.repeat(40))).toEqual({ ok: false, code: 'session_invalid' });
    store.close();
  });

  it('refuses a team account without a team (schema check)', () => {
    const store = seededStore();
    expect(() => store.accounts.addAccount({ username: 'x', password: 'pw', role: 'team' })).toThrow(/CHECK/);
    expect(() => store.accounts.addAccount({ username: 'y', password: 'pw', role: 'team', teamId: 'nope' })).toThrow(/FOREIGN KEY/);
    store.close();
  });
});

describe('re-open', () => {
  it('keeps everything across close and open', () => {
    const dir = tempDir();
    const a = seededStore(dir);
    const s = submit(a, 't1');
    const head = a.events.headSeq();
    a.close();
    const b = openStore(dir);
    expect(b.submissions.jurySubmission(s.id)).toMatchObject({ id: s.id, status: 'queued' });
    expect(b.events.headSeq()).toBe(head);
    b.close();
  });
});

describe('reader numbers', () => {
  type V = { role: 'public' | 'team' | 'judge' | 'admin'; teamId: string | null };
  const viewers: V[] = [
    { role: 'public', teamId: null },
    { role: 'team', teamId: 't1' },
    { role: 'team', teamId: 't2' },
    { role: 'judge', teamId: null },
    { role: 'admin', teamId: null },
  ];

  /** Shared and own events interleaved, as a contest writes them. */
  function busyStore(target = ':memory:') {
    const store = seededStore(target);
    for (let i = 0; i < 3; i++) {
      submit(store, 't1');
      submit(store, 't2');
      const job = store.queue.claim('w', 60_000)!;
      store.queue.progress(job.judgingId, 'w', { status: 'running', testIndex: 1, testCount: 3 });
      store.queue.complete(job.judgingId, 'w', acResult());
      store.tx(() => store.events.appendEvent({ kind: 'clock', clock: {} as never }));
      store.clarifications.ask('t2', null, `question ${i}`, 0);
    }
    return store;
  }

  /** Every class's numbers are 1..n over exactly the events it may see, and translate back to positions. */
  function checkNumbering(store: ReturnType<typeof seededStore>) {
    for (const v of viewers) {
      const visible = store.events.eventsSince(0, v);
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.map((e) => store.events.readerSeq(e, v))).toEqual(visible.map((_, i) => i + 1));
      expect(store.events.readerHead(v)).toBe(visible.length);
      for (let n = 0; n <= visible.length; n++) expect(store.events.readerPosition(v, n)).toBe(n === 0 ? 0 : visible[n - 1]!.seq);
      expect(store.events.readerPosition(v, visible.length + 1)).toBeNull();
    }
  }

  it('numbers an event for many teams in one call exactly as readerSeq does for each', () => {
    const store = busyStore();
    const teams = ['t1', 't2'];
    let shared = 0;
    for (const e of store.events.allEventsSince(0)) {
      const seeing = teams.filter((t) => canSeeEvent({ role: 'team', teamId: t }, e));
      if (seeing.length === 0) continue;
      if (e.numbers.sharedNo !== null) shared++;
      const many = store.events.teamReaderSeqs(e, seeing);
      expect([...many.entries()]).toEqual(seeing.map((t) => [t, store.events.readerSeq(e, { role: 'team', teamId: t })]));
    }
    // Events to every team are the ones numbered in the batched query.
    expect(shared).toBe(3);
    store.close();
  });

  it('gives every reader class gap-free numbers of only the events it may see', () => {
    const store = busyStore();
    checkNumbering(store);
    // The live events carry the same numbers the log gives them on replay.
    const heard: Array<{ seq: number; n: number }> = [];
    store.events.onEvent((e) => {
      if (canSeeEvent(viewers[1]!, e)) heard.push({ seq: e.seq, n: store.events.readerSeq(e, viewers[1]!) });
    });
    const before = store.events.readerHead(viewers[1]!);
    submit(store, 't1');
    store.clarifications.ask('t1', null, 'live', 0);
    expect(heard.map((h) => h.n)).toEqual(heard.map((_, i) => before + i + 1));
    store.close();
  });

  it("a team's numbers do not move with another team's judging", () => {
    const store = seededStore();
    const t1 = viewers[1]!;
    const pub = viewers[0]!;
    const heads = () => [store.events.readerHead(t1), store.events.readerHead(pub)];
    const at = heads();
    for (let i = 0; i < 4; i++) {
      submit(store, 't2');
      const job = store.queue.claim('w', 60_000)!;
      store.queue.progress(job.judgingId, 'w', { status: 'running', testIndex: 1, testCount: 3 });
      store.queue.complete(job.judgingId, 'w', acResult());
      store.clarifications.ask('t2', null, 'private', 0);
    }
    expect(store.events.headSeq()).toBeGreaterThan(20);
    expect(heads()).toEqual(at);
    store.close();
  });

  it('numbers the events of a database written before reader numbers existed (its migration)', () => {
    const version = MIGRATIONS.find((m) => m.name === 'event numbers per reader class')!.version;
    const dir = tempDir();
    const reference = busyStore(path.join(dir, 'a'));
    const expected = viewers.map((v) => reference.events.eventsSince(0, v).map((e) => [e.seq, reference.events.readerSeq(e, v)]));
    reference.close();
    // The same log as version 1 wrote it (no numbers), then migrated.
    const db = openDatabase(path.join(dir, 'a'));
    db.exec('DROP TRIGGER events_append_only_update');
    db.exec('UPDATE events SET pub_no = NULL, jury_no = NULL, shared_no = NULL, own_no = NULL, team_seq = NULL');
    db.prepare('DELETE FROM schema_version WHERE version = ?').run(version);
    db.exec(`
      DROP INDEX events_pub_no; DROP INDEX events_jury_no; DROP INDEX events_shared_no; DROP INDEX events_team_own; DROP INDEX events_team_seq;
      ALTER TABLE events DROP COLUMN pub_no; ALTER TABLE events DROP COLUMN jury_no; ALTER TABLE events DROP COLUMN shared_no;
      ALTER TABLE events DROP COLUMN own_no; ALTER TABLE events DROP COLUMN team_seq;
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;`);
    expect(migrate(db)).toEqual([version]);
    db.close();
    const store = openStore(path.join(dir, 'a'));
    expect(viewers.map((v) => store.events.eventsSince(0, v).map((e) => [e.seq, store.events.readerSeq(e, v)]))).toEqual(expected);
    checkNumbering(store);
    store.close();
  });
});
