/**
 * Sandbox slots are per host: a slot number can be open in only one supervisor at a time, and a
 * test or bench that opens one must not meet another suite (or a daemon) holding it. Every suite and
 * bench takes its slots from this one table, a range of 100 slots starting at 100 (away from a real
 * daemon's workers, which start at JUDGED_SLOT_BASE, default 0; `judged doctor` uses 999).
 * JUDGED_TEST_SLOT_OFFSET (a multiple of 100, 0..700) shifts every entry, so up to eight checkouts
 * can run their suites on one machine at once.
 */
const TABLE = {
  daemonE2e: 0, //              test/daemon/daemon.test.ts (1 worker)
  daemonRestart: 2, //          test/daemon/daemon.test.ts restart case (1 worker)
  sandboxRun: 4, //             packages/daemon/src/sandbox/run.test.ts
  sandboxHost: 5, //            packages/daemon/src/sandbox/host.test.ts
  sandboxIsolation: 6, //       packages/daemon/src/sandbox/isolation.test.ts (6, 7)
  sandboxInteractive: 8, //     packages/daemon/src/sandbox/interactive.test.ts
  sandboxSpeed: 9, //           bench/sandbox/measure-speed.ts
  tuiE2e: 10, //                test/tui/tui.e2e.test.ts
  attackResources: 11, //       test/attack/resources.test.ts
  attackEscape: 12, //          test/attack/escape.test.ts (12, 13)
  attackKernel: 14, //          test/attack/kernel.test.ts (system-call filter, kernel state between runs)
  attackBox: 16, //             test/attack/box.test.ts (/box tmpfs: space, inodes, mappings, clean-up)
  attackCompile: 18, //         test/attack/compile.test.ts (compilers isolated from the submission)
  benchSandbox: 20, //          bench/sandbox/run.ts
  benchServer: 22, //           bench/server/run.ts (daemon workers 22..29)
  judgingEngine: 30, //         packages/daemon/src/judging/engine.test.ts (30..37)
  verifyInProcess: 40, //       packages/daemon/src/verify.test.ts (40..49)
  verifyCli: 50, //             packages/daemon/src/verify.test.ts, the CLI run (50..59)
  benchJudging: 60, //          bench/judging/run.ts (60..67; 60, 61 also bench/judgehosts' 3rd and 4th judgehost: benches never run at once)
  // 68..79 free: a new suite takes the next entry here.
  daemonCcsImport: 70, //       test/daemon/ccs-api.test.ts, the daemon started on the exported package (1 worker)
  daemonCcsLostRuns: 71, //     test/daemon/ccs-api.test.ts, the daemon killed while judging and restarted (1 worker)
  doctorTest: 80, //            packages/daemon/src/doctor.test.ts
  vmCgroupFiles: 81, //         test/vm/inside/cgroup-v2-files.test.ts (cgroup v2 hosts only)
  daemonAbuse: 82, //           test/daemon/abuse.test.ts (1 worker)
  judgehostsE2e: 83, //         test/judgehosts/judgehosts.test.ts (the daemon's data check 83, three judgehosts 84..86)
  benchJudgehosts: 87, //       bench/judgehosts/run.ts (the daemon 87, judgehosts 88, 89, 60, 61)
  judgingMultiPass: 90, //      packages/daemon/src/judging/multi-pass.test.ts
  dataValidation: 91, //        packages/daemon/src/judging/data-validation.test.ts
  daemonDataCheck: 92, //       test/daemon/startup.test.ts, the problem data check at start
  judgingScoring: 93, //        packages/daemon/src/judging/scoring.test.ts
  daemonScoring: 94, //         test/daemon/scoring.test.ts (1 worker)
  tuiLanRoom: 95, //            test/tui/lan-room.e2e.test.ts (rejudge review in the jury TUI)
  daemonCcsApi: 96, //          test/daemon/ccs-api.test.ts (1 worker)
  freezeCounters: 97, //        test/daemon/freeze-counters.test.ts (1 worker)
  tuiPaperBalloons: 98, //      test/tui/paper-balloons.e2e.test.ts (printing and balloons in the TUI, 1 worker)
  tuiRoomAdmin: 99, //          test/tui/room-admin.e2e.test.ts (team import, statements and samples)
} as const;

export type SlotName = keyof typeof TABLE;

const BASE = 100;
const OFFSET = Number(process.env.JUDGED_TEST_SLOT_OFFSET ?? 0);
if (!Number.isInteger(OFFSET) || OFFSET < 0 || OFFSET > 700 || OFFSET % 100 !== 0) {
  throw new Error(`JUDGED_TEST_SLOT_OFFSET must be a multiple of 100 in 0..700, got ${process.env.JUDGED_TEST_SLOT_OFFSET}`);
}

/** First slot of a suite's range, shifted by JUDGED_TEST_SLOT_OFFSET. */
export function testSlot(name: SlotName): number {
  return BASE + TABLE[name] + OFFSET;
}
