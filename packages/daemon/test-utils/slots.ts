/**
 * Sandbox slots are per host: a slot number can be open in only one supervisor at a time, and a
 * test or bench that opens one must not meet another suite (or a daemon) holding it. Every suite and
 * bench takes its slots from this one table. JUDGED_TEST_SLOT_OFFSET shifts every entry, so two
 * checkouts can run their suites on one machine at once (e.g. offsets 0, 200, 400, 600).
 * The daemon itself uses JUDGED_SLOT_BASE (default 0), `judged doctor` slot 999.
 */
const TABLE = {
  daemonE2e: 20, //             test/daemon/daemon.test.ts (1 worker)
  daemonRestart: 30, //         test/daemon/daemon.test.ts restart case (1 worker)
  sandboxRun: 40, //            packages/daemon/src/sandbox/run.test.ts
  sandboxHost: 41, //           packages/daemon/src/sandbox/host.test.ts
  sandboxIsolation: 43, //      packages/daemon/src/sandbox/isolation.test.ts (43, 44)
  sandboxInteractive: 45, //    packages/daemon/src/sandbox/interactive.test.ts
  vmCgroupFiles: 46, //         test/vm/inside/cgroup-v2-files.test.ts (cgroup v2 hosts only)
  sandboxSpeed: 59, //          bench/sandbox/measure-speed.ts
  tuiE2e: 70, //                test/tui/tui.e2e.test.ts
  attackResources: 80, //       test/attack/resources.test.ts
  attackEscape: 81, //          test/attack/escape.test.ts (81, 82)
  benchSandbox: 90, //          bench/sandbox/run.ts
  benchServer: 100, //          bench/server/run.ts (daemon workers from here)
  judgingEngine: 150, //        packages/daemon/src/judging/engine.test.ts (150..157)
  verifyInProcess: 160, //      packages/daemon/src/verify.test.ts (160..169)
  verifyCli: 170, //            packages/daemon/src/verify.test.ts, the CLI run (170..179)
  benchJudging: 180, //         bench/judging/run.ts (180..199)
  doctorTest: 199, //           packages/daemon/src/doctor.test.ts
} as const;

export type SlotName = keyof typeof TABLE;

const OFFSET = Number(process.env.JUDGED_TEST_SLOT_OFFSET ?? 0);
if (!Number.isInteger(OFFSET) || OFFSET < 0 || OFFSET > 700) {
  throw new Error(`JUDGED_TEST_SLOT_OFFSET must be an integer in 0..700, got ${process.env.JUDGED_TEST_SLOT_OFFSET}`);
}

/** First slot of a suite's range, shifted by JUDGED_TEST_SLOT_OFFSET. */
export function testSlot(name: SlotName): number {
  return TABLE[name] + OFFSET;
}
