/**
 * The cgroup v2 run: the host CI is cgroup v1, so the sandbox's v2 path is proved here, in a real
 * kernel booted under QEMU (guest.ts) with the unified hierarchy and every controller. As root this
 * never skips: a host without QEMU gets it installed (prepare.sh), and whatever still fails fails
 * the test with the guest's output. Without root it skips, like every sandbox suite.
 */
import { describe, expect, it } from 'vitest';
import { describeExit, runInGuest, type GuestResult } from './guest.ts';

const isRoot = process.getuid?.() === 0;
const MINUTE = 60_000;
const JUDGED = 'node_modules/.bin/tsx packages/daemon/src/cli.ts';

/** Each guest is killed a minute before its test times out, so none outlives the test run. */
const guest = (minutes: number) => ({ timeout: minutes * MINUTE, guestMs: (minutes - 1) * MINUTE });
const SUITE = guest(30);
const DOCTOR = guest(10);

const VERIFY = guest(20);

/*
 * `judged verify` on a subset of the example problems that still holds every verdict (AC, WA, TLE,
 * MLE, RTE, OLE, CE) and every kind of program: C++, Python, Java; hello's default output
 * validation; factor's custom validator; floatmean's time limit derived from its accepted Python
 * submission (no limit in the package: the generous deriving limit is scaled too); guess's interactor. All 170 examples take over an hour under TCG, this
 * takes minutes. The limits scale by the runner's JUDGED_TIME_SCALE through --time-scale.
 */
const VERIFY_SUBSET = {
  hello: [
    'accepted/hello.cpp', 'accepted/hello.py', 'accepted/Hello.java', 'compile_error/typo.cpp',
    'memory_limit_exceeded/hog.cpp', 'output_limit_exceeded/flood.py', 'run_time_error/raise.py',
    'time_limit_exceeded/spin.cpp', 'wrong_answer/world.py',
  ],
  factor: ['accepted/smallest.cpp', 'wrong_answer/two.py'],
  floatmean: ['accepted/mean.py'],
  guess: ['accepted/bisect.py', 'wrong_answer/linear.cpp'],
};

function tail(s: string, n = 4000): string {
  return s.length <= n ? s : `...${s.slice(-n)}`;
}

function why(r: GuestResult): string {
  return [
    `guest (${r.accel}, ${(r.wallMs / 1000).toFixed(0)} s): ${describeExit(r.exitCode)}${r.failure ? `: ${r.failure}` : ''}`,
    ...(r.retriedAfter ? [`--- the first boot's command failed (${r.retriedAfter}); this is the second boot`] : []),
    `--- faults the guest kernel reported (segfault, general protection, invalid opcode)\n${r.faults.slice(-12).join('\n') || '(none)'}`,
    `--- stdout\n${tail(r.stdout)}`,
    `--- stderr\n${tail(r.stderr)}`,
    `--- kernel console\n${tail(r.console, 1500)}`,
  ].join('\n');
}

/** The JSON a command printed on stdout; fails with the guest's output when there is none. */
function json<T>(r: GuestResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`no JSON on stdout\n${why(r)}`);
  }
}

describe.skipIf(!isRoot)('cgroup v2 in a real kernel (QEMU guest)', () => {
  it('passes the sandbox unit tests, the attack suite and the v2 file checks', { timeout: SUITE.timeout }, async () => {
    const r = await runInGuest({
      timeoutMs: SUITE.guestMs,
      command: `stat -fc 'cgroup fs: %T' /sys/fs/cgroup && node_modules/.bin/vitest run --reporter=dot packages/daemon/src/sandbox test/attack test/vm/inside`,
    });
    expect(r.exitCode, why(r)).toBe(0);
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain('cgroup fs: cgroup2fs');
    expect(plain, why(r)).toMatch(/Tests\s+\d+ passed/);
    expect(plain, 'as root in the guest no sandbox test may skip').not.toMatch(/\d+ skipped/);
  });

  it('judged doctor inside a delegated systemd service cgroup: every required check ok, the runs inside the unit', { timeout: DOCTOR.timeout }, async () => {
    // As systemd starts a unit with Delegate=yes: its own cgroup below system.slice, controllers
    // enabled down to it, the trusted.delegate xattr on it, cgroup2 mounted with nsdelegate (init.sh).
    // judged moves itself to <unit>/daemon and builds the runs' cgroups in <unit>/judged
    // (sandbox/cgroup-home.ts), never outside the unit.
    const svc = '/sys/fs/cgroup/system.slice/judged.service';
    const r = await runInGuest({
      timeoutMs: DOCTOR.guestMs,
      command: [
        `mkdir -p ${svc}`,
        `echo '+memory +pids +cpuset' >/sys/fs/cgroup/cgroup.subtree_control`,
        `echo '+memory +pids +cpuset' >/sys/fs/cgroup/system.slice/cgroup.subtree_control`,
        `python3 -c "import os; os.setxattr('${svc}', 'trusted.delegate', b'1')"`,
        `echo $$ >${svc}/cgroup.procs`,
        `cat /proc/self/cgroup >&2`,
        `{ ${JUDGED} doctor --json; rc=$?; }`,
        `echo "daemon leaf: $(cat ${svc}/daemon/cgroup.procs | wc -l) processes; unit: $(cat ${svc}/cgroup.procs | wc -l)" >&2`,
        `{ test -e /sys/fs/cgroup/judged && echo 'outside the unit: /sys/fs/cgroup/judged' >&2; exit $rc; }`,
      ].join(' && '),
    });
    expect(r.stderr, why(r)).toContain('0::/system.slice/judged.service');
    const report = json<{ ok: boolean; checks: { id: string; ok: boolean; required: boolean; detail: string }[] }>(r);
    const failed = report.checks.filter((c) => c.required && !c.ok);
    expect(failed, why(r)).toEqual([]);
    expect(r.exitCode, why(r)).toBe(0);
    const check = (id: string) => report.checks.find((c) => c.id === id);
    expect(check('cgroup.version')?.detail).toMatch(/cgroup v2/);
    expect(check('cgroup.home')?.detail, why(r)).toContain(`${svc} (delegated by systemd`);
    // The shell that started judged was moved too, and nothing was left in the unit itself.
    expect(r.stderr, why(r)).toMatch(/daemon leaf: [1-9]\d* processes; unit: 0/);
    expect(r.stderr, why(r)).not.toContain('outside the unit');
    // A 6.1 kernel has both; they live below the root cgroup, never in it.
    expect(check('cgroup.peak'), why(r)).toMatchObject({ ok: true });
    expect(check('cgroup.swap'), why(r)).toMatchObject({ ok: true });
    expect(check('cgroup.cpuset'), why(r)).toMatchObject({ ok: true });
  });

  it('judged verify --time-scale: every expected verdict, for each kind of program', { timeout: VERIFY.timeout }, async () => {
    const keep = Object.entries(VERIFY_SUBSET).flatMap(([p, subs]) => subs.map((x) => `${p}/submissions/${x}`));
    const r = await runInGuest({
      timeoutMs: VERIFY.guestMs,
      command: [
        'mkdir -p /tmp/v',
        `cp -r ${Object.keys(VERIFY_SUBSET).map((p) => `problems/${p}`).join(' ')} /tmp/v/`,
        `(cd /tmp/v && find */submissions -type f | grep -vxF -e ${keep.map((k) => `'${k}'`).join(' -e ')} | xargs -r rm)`,
        `exec ${JUDGED} verify /tmp/v --json --time-scale "$JUDGED_TIME_SCALE"`,
      ].join(' && '),
    });
    const rows = json<{ problem: string; submission: string; language: string | null; expected: string[]; verdict: string | null; ok: boolean; skipped: boolean; check?: string }[]>(r);
    expect(rows.filter((x) => !x.ok || x.skipped), why(r)).toEqual([]);
    expect(r.exitCode, why(r)).toBe(0);
    const judged = rows.filter((x) => !x.check);
    expect(judged.length, why(r)).toBe(keep.length);
    expect(new Set(judged.map((x) => x.verdict))).toEqual(new Set(['AC', 'WA', 'TLE', 'MLE', 'RTE', 'OLE', 'CE']));
    expect(new Set(judged.map((x) => x.language))).toEqual(new Set(['cpp', 'python3', 'java']));
    expect(r.stderr, 'floatmean has no time limit: verify derives one').toMatch(/floatmean: no time limit in the package/);
  });
});
