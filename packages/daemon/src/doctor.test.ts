import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accountsInRange, collectReport, renderReport, runDoctor, type DoctorReport } from './doctor.ts';
import { testSlot } from '../test-utils/slots.ts';

const execFileP = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const repo = path.resolve(import.meta.dirname, '../../..');

/** Whether `nobody` can reach the repository (every directory above it searchable by others). */
function othersCanReach(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

const CheckSchema = z.strictObject({
  id: z.string().min(1),
  group: z.enum(['host', 'sandbox', 'language']),
  title: z.string().min(1),
  ok: z.boolean(),
  detail: z.string(),
  fix: z.string().min(1).optional(),
  required: z.boolean(),
});
const ReportSchema = z.strictObject({
  ok: z.boolean(),
  host: z.strictObject({ hostname: z.string(), kernel: z.string(), cpus: z.number(), memoryMiB: z.number() }),
  checks: z.array(CheckSchema).min(1),
});

async function doctor(json: boolean): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runDoctor({ json, slot: testSlot('doctorTest'), write: (t) => (out += t) });
  return { code, out };
}

describe('judged doctor', () => {
  it('--json prints every check in the documented shape, and the exit code follows the required checks', async () => {
    const { code, out } = await doctor(true);
    const report = ReportSchema.parse(JSON.parse(out));
    expect(code).toBe(report.ok ? 0 : 1);
    expect(report.ok).toBe(report.checks.every((c) => c.ok || !c.required));
    const ids = report.checks.map((c) => c.id);
    expect(new Set(ids).size, 'check ids are unique').toBe(ids.length);
    for (const c of report.checks) if (!c.ok) expect(c.fix, `${c.id} failed without saying what to do`).toBeDefined();
    expect(ids).toContain('root');
    expect(ids).toContain('sandbox.run');
  }, 60_000);

  it('tells the truth about this host: root, cgroup layout, controllers', async () => {
    const report = await collectReport(testSlot('doctorTest'));
    const root = report.checks.find((c) => c.id === 'root')!;
    expect(root.ok).toBe(isRoot);
    const cgroup = report.checks.find((c) => c.id === 'cgroup.version');
    expect(cgroup, 'a cgroup version check').toBeDefined();
    const unifiedOnly = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
    expect(cgroup!.detail).toMatch(unifiedOnly ? /v2/ : /v1/);
    for (const ctl of ['memory', 'pids']) {
      const c = report.checks.find((x) => x.id === `cgroup.${ctl}`);
      expect(c, `a check for the ${ctl} controller`).toBeDefined();
      const present = unifiedOnly
        ? fs.readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').split(/\s+/).includes(ctl)
        : fs.existsSync(path.join('/sys/fs/cgroup', ctl, 'cgroup.procs'));
      expect(c!.ok).toBe(present);
    }
  }, 60_000);

  it('checks each language the judge knows, with the version it found', async () => {
    const report = await collectReport(testSlot('doctorTest'));
    const langs = report.checks.filter((c) => c.group === 'language');
    expect(langs.length).toBeGreaterThan(0);
    const c = langs.find((l) => l.id === 'language.c');
    expect(c, 'the C language').toBeDefined();
    const { stdout } = await execFileP('gcc', ['--version']);
    expect(c!.ok).toBe(true);
    expect(c!.detail).toContain(stdout.split('\n')[0]!.trim());
    for (const l of langs) expect(l.required).toBe(false);
  }, 60_000);

  it('finds accounts whose uid falls in the sandbox uid range', () => {
    const passwd = [
      'root:x:0:0:root:/root:/bin/bash',
      'alice:x:60000:60000::/home/alice:/bin/bash',
      'bob:x:61999:61999::/home/bob:/bin/bash',
      'carol:x:62000:62000::/home/carol:/bin/bash',
      '# a comment',
      '',
    ].join('\n');
    expect(accountsInRange(passwd, 60000, 62000)).toEqual(['alice (60000)', 'bob (61999)']);
    expect(accountsInRange(passwd, 70000, 72000)).toEqual([]);
  });

  it('checks the sandbox uids against the accounts of this host', async () => {
    const report = await collectReport(testSlot('doctorTest'));
    if (!report.checks.find((c) => c.id === 'sandbox.run')?.ok) return; // no run, no uid to check
    const uids = report.checks.find((c) => c.id === 'sandbox.uids');
    expect(uids, 'a sandbox.uids check after a successful run').toBeDefined();
    const m = /(\d+)-(\d+)/.exec(uids!.detail);
    expect(m, uids!.detail).not.toBeNull();
    const clash = accountsInRange(fs.readFileSync('/etc/passwd', 'utf8'), Number(m![1]), Number(m![2]) + 1);
    expect(uids!.ok).toBe(clash.length === 0);
  }, 60_000);

  it('prints a table with a line per check and what to do for each failure', async () => {
    const report: DoctorReport = {
      ok: false,
      host: { hostname: 'h', kernel: '6.1', cpus: 2, memoryMiB: 1024 },
      checks: [
        { id: 'root', group: 'host', title: 'running as root', ok: true, detail: 'uid 0', required: true },
        {
          id: 'cgroup.pids',
          group: 'host',
          title: 'cgroup controller pids',
          ok: false,
          detail: 'not mounted',
          fix: 'mount the pids controller',
          required: true,
        },
        {
          id: 'language.java',
          group: 'language',
          title: 'Java',
          ok: false,
          detail: 'javac: not found',
          fix: 'install a JDK',
          required: false,
        },
      ],
    };
    const text = renderReport(report);
    expect(text).toMatch(/^ok\s+host\s+running as root\s+uid 0$/m);
    expect(text).toMatch(/^FAIL\s+host\s+cgroup controller pids\s+not mounted$/m);
    expect(text).toMatch(/^off\s+language\s+Java\s+javac: not found$/m);
    expect(text).toContain('cgroup controller pids: mount the pids controller');
    expect(text).toContain('Java (optional): install a JDK');
    expect(text).toContain('The sandbox cannot run on this host');
  });

  // Needs root to become `nobody`, and a checkout that `nobody` can read.
  it.runIf(isRoot && othersCanReach(repo))('as an ordinary user it exits 1 with root failing and says what to do', async () => {
    const cli = path.join(repo, 'packages/daemon/src/cli.ts');
    const run = (args: string[]) =>
      execFileP(process.execPath, ['--import', 'tsx', cli, 'doctor', ...args], { cwd: repo, uid: 65534, gid: 65534 }).then(
        () => ({ code: 0, stdout: '' }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
    const json = await run(['--json']);
    expect(json.code).toBe(1);
    const report = ReportSchema.parse(JSON.parse(json.stdout));
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.id === 'root')).toMatchObject({ ok: false, required: true });
    expect(report.checks.find((c) => c.id === 'sandbox.run')).toMatchObject({ ok: false });
    const table = await run([]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^FAIL\s+host\s+running as root\s+running as uid 65534/m);
    expect(table.stdout).toContain('What to do:');
    expect(table.stdout).toContain('start judged as root');
    expect(table.stdout).toContain('The sandbox cannot run on this host');
  }, 60_000);

  it('the real table lists every check and ends with the verdict matching the exit code', async () => {
    const { code, out } = await doctor(false);
    const report = await collectReport(testSlot('doctorTest'));
    for (const c of report.checks) expect(out).toContain(c.title);
    expect(out).toContain(code === 0 ? 'The sandbox can run on this host.' : 'The sandbox cannot run on this host');
  }, 60_000);
});
