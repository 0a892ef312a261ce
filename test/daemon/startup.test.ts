/**
 * How `judged` starts or refuses to: bad contest files stop it with file, field and reason and write
 * nothing; a broken problem package is reported while the others load; bad options are named; a
 * package whose data fails its own validators stops the start unless --force.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDaemon, StartupError } from '../../packages/daemon/src/server/start.ts';
import { silentLogger, createLogger } from '../../packages/daemon/src/server/log.ts';
import { cliPath, repoRoot } from './spawn-daemon.ts';
import { DEFAULT_SUPERVISOR } from '../../packages/daemon/src/sandbox/index.ts';
import { testSlot } from '../../packages/daemon/test-utils/slots.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-startup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function judged(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('judged start-up', () => {
  it('refuses a contest with bad files, naming file, field and reason, and writes nothing', () => {
    const contest = path.join(tmp, 'contest');
    const data = path.join(tmp, 'data-bad-contest');
    fs.mkdirSync(contest);
    fs.writeFileSync(path.join(contest, 'contest.yaml'), 'name: Broken\nduration: banana\n');
    const r = judged(['--problems', path.join(repoRoot, 'problems'), '--contest', contest, '--data', data, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/contest\.yaml/);
    expect(r.out).toMatch(/duration/);
    expect(r.out).toMatch(/nothing was started/);
    expect(fs.existsSync(path.join(data, 'judged.sqlite'))).toBe(false);
  });

  it('refuses team names with terminal escapes at load, and its own messages carry none', () => {
    const run = (name: string, teams: unknown, accounts: string) => {
      const contest = path.join(tmp, name);
      fs.mkdirSync(contest);
      fs.writeFileSync(path.join(contest, 'contest.yaml'), 'name: Clean\nduration: 5:00:00\n');
      fs.writeFileSync(path.join(contest, 'teams.json'), JSON.stringify(teams));
      fs.writeFileSync(path.join(contest, 'accounts.yaml'), accounts);
      const r = judged(['--problems', path.join(repoRoot, 'problems'), '--contest', contest, '--data', path.join(tmp, `data-${name}`), '--port', '0']);
      expect(r.code).toBe(1);
      // What judged prints may quote the files, but never passes an escape on to the organizer's terminal.
      expect(r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      return r.out;
    };
    // An OSC 52 clipboard write in a team name, a CSI in a username.
    const names = run('contest-escapes', [{ id: 't1', name: 'pwn\u001b]52;c;aGk=\u0007' }], '- {username: "a\\e[2J", password: x, type: admin}\n');
    expect(names).toMatch(/teams\.json:1: 0\.name: contains U\+001B \(a control character\) at position 4/);
    expect(names).toMatch(/accounts\.yaml:1: 0\.username: contains U\+001B \(a control character\) at position 2/);
    // A value the error message quotes as it is (an unknown team_id holding a CSI).
    const quoted = run('contest-quoted', [{ id: 't1', name: 'One' }], '- {username: b, password: y, type: team, team_id: "t\\e[2J9"}\n');
    expect(quoted).toMatch(/team_id "t.*9" is not in teams\.json/);
  });

  it('names a bad --port and a bad --workers', () => {
    const r = judged(['--problems', path.join(repoRoot, 'problems'), '--data', path.join(tmp, 'd1'), '--port', 'seventy']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/--port must be a whole number from 0 to 65535, got "seventy"/);
    const w = judged(['--problems', path.join(repoRoot, 'problems'), '--data', path.join(tmp, 'd2'), '--workers', '0']);
    expect(w.code).toBe(1);
    expect(w.out).toMatch(/--workers must be a whole number from 1 to 256/);
  });

  it('reports a broken problem package and serves the others', async () => {
    const problems = path.join(tmp, 'problems');
    fs.mkdirSync(problems);
    fs.cpSync(path.join(repoRoot, 'problems/hello'), path.join(problems, 'hello'), { recursive: true });
    fs.mkdirSync(path.join(problems, 'broken'));
    fs.writeFileSync(path.join(problems, 'broken', 'problem.yaml'), 'name: [unclosed\n');
    const lines: string[] = [];
    const d = await createDaemon(
      { problems, data: path.join(tmp, 'data-broken-problem'), port: '0', workers: '1' },
      { log: createLogger({ pretty: false, write: (l) => lines.push(l) }), engine: null },
    );
    try {
      expect(lines.some((l) => l.includes('problem package not loaded') && l.includes('broken'))).toBe(true);
      expect(d.store.settings.problems().map((p) => p.id)).toEqual(['hello']);
    } finally {
      await d.close();
    }
  });

  it('refuses to start with no loadable problem at all', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    await expect(createDaemon({ problems: empty, data: path.join(tmp, 'data-empty'), port: '0' }, { log: silentLogger, engine: null })).rejects.toThrow(StartupError);
  });

  const canSandbox = process.getuid?.() === 0 && fs.existsSync(DEFAULT_SUPERVISOR);
  it.skipIf(!canSandbox)('refuses problem data its own validators reject, naming package, file and validator; --force starts loudly', async () => {
    const problems = path.join(tmp, 'problems-bad-data');
    fs.mkdirSync(problems);
    fs.cpSync(path.join(repoRoot, 'problems/parity'), path.join(problems, 'parity'), { recursive: true });
    fs.writeFileSync(path.join(problems, 'parity/data/secret/04-negative.in'), '-8\n');
    fs.writeFileSync(path.join(problems, 'parity/data/secret/04-negative.ans'), 'even\n');
    const over = { log: silentLogger, engine: null, checkData: true, checkDataSlot: testSlot('daemonDataCheck') };
    const refused = createDaemon({ problems, data: path.join(tmp, 'data-bad-data'), port: '0', workers: '1' }, over);
    await expect(refused).rejects.toThrow(StartupError);
    await expect(refused).rejects.toThrow(/parity: parity\/data\/secret\/04-negative\.in: format: input rejected: the validator exited 43: not a whole number without leading zeros: -8[\s\S]*--force/);

    const lines: string[] = [];
    const d = await createDaemon(
      { problems, data: path.join(tmp, 'data-bad-data-forced'), port: '0', workers: '1', force: true },
      { ...over, log: createLogger({ pretty: false, write: (l) => lines.push(l) }) },
    );
    try {
      expect(lines.filter((l) => l.includes('STARTING WITH INVALID PROBLEM DATA (--force)') && l.includes('04-negative.in'))).toHaveLength(1);
      expect(d.store.settings.problems().map((p) => p.id)).toEqual(['parity']);
    } finally {
      await d.close();
    }
  }, 120_000);
});
