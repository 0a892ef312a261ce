/** Fixtures for store tests: a store with a contest row, problems, teams. */
import type { ProblemSummary } from '@judged/shared/protocol';
import { openStore, type JudgingResult, type Store, type StoreOptions } from '../src/store/index.ts';

export function problem(id: string, label: string): ProblemSummary {
  return { id, label, name: `Problem ${label}`, colour: null, timeLimitMs: 1000, memoryLimitKiB: 262144, sampleCount: 1, testCount: 3 };
}

/** A fake clock tests move by hand. */
export function manualClock(startMs = 1_700_000_000_000): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}

export function seededStore(target = ':memory:', opts: StoreOptions = {}): Store {
  const store = openStore(target, opts);
  if (!store.settings.get()) {
    store.tx(() => {
      store.settings.create({
        contestId: 'test',
        name: 'Test contest',
        startAtMs: store.now(),
        durationMs: 5 * 3600_000,
        freezeDurationMs: 3600_000,
        penaltyTimeMin: 20,
        source: 'test',
        sourceDigest: null,
      });
      store.settings.syncProblems([problem('hello', 'A'), problem('sum', 'B')]);
      store.accounts.addTeam({ id: 't1', name: 'Team One' });
      store.accounts.addTeam({ id: 't2', name: 'Team Two' });
    });
  }
  return store;
}

export function submit(store: Store, teamId: string, problemId = 'hello', atMs = store.now()) {
  return store.submissions.insert({
    teamId,
    problemId,
    language: 'cpp',
    files: [{ name: 'a.cpp', source: 'int main(){}' }],
    submittedAtMs: atMs,
    contestTimeMs: atMs - store.settings.get()!.startAtMs!,
  });
}

/** A submission of the team, claimed and judged at once with the verdict given. */
export function judged(store: Store, teamId: string, verdict: 'AC' | 'WA' = 'AC') {
  const s = submit(store, teamId);
  const job = store.queue.claim('w', 60_000)!;
  store.queue.complete(job.judgingId, 'w', verdict === 'AC' ? acResult() : { ...acResult(), verdict: 'WA' });
  return s;
}

export function acResult(testCount = 3): JudgingResult & { runs: NonNullable<JudgingResult['runs']> } {
  return {
    verdict: 'AC' as const,
    maxTimeMs: 12,
    maxMemoryKiB: 1024,
    compileOutput: null,
    testsPassed: testCount,
    testCount,
    runs: Array.from({ length: testCount }, (_, i) => ({
      index: i + 1,
      testName: i === 0 ? 'sample/1' : `secret/${i}`,
      sample: i === 0,
      verdict: 'AC' as const,
      timeMs: 12,
      wallTimeMs: 20,
      memoryKiB: 1024,
      exitCode: 0,
      signal: null,
      judgeMessage: null,
      stdoutExcerpt: null,
      stderrExcerpt: null,
      ...(i === 0 ? { input: '1 2\n', expected: '3\n', got: '3\n', gotTruncated: false } : {}),
    })),
  };
}

export function waResult(testCount = 3): JudgingResult {
  const r = acResult(testCount);
  r.runs[1] = { ...r.runs[1]!, verdict: 'WA', judgeMessage: 'line 1: expected 3, got 4' };
  return { ...r, verdict: 'WA', testsPassed: 1, runs: r.runs.slice(0, 2) };
}
