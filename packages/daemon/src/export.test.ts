/**
 * `judged export` read back by `judged --contest`: the configuration a contest package carries comes
 * back the same (a score contest's board rules, persons, logos), in-process on a data dir made by
 * openContest (test/daemon/ccs-api.test.ts does the same with a judged that judged submissions).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContestDir, openContest } from './contest/index.ts';
import { exportContest } from './export.ts';
import { pngOf } from '../test-utils/images.ts';
import { problem } from '../test-utils/store-fixtures.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-export-test-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
}

describe('judged export, read back', () => {
  it('keeps a score contest\u2019s board rules, the organizations\u2019 ids and logos, groups and persons', async () => {
    const src = tempDir();
    const logo = pngOf(56, 56);
    write(src, {
      'contest.yaml': 'id: ioi26\nname: Score contest\nstart_time: 2026-11-26T09:00:00+00:00\nduration: 5:00:00\nscoreboard_type: score\nscore_mode: subtask-sum\nscore_modes:\n  sum: best-submission\nscore_tie_break: penalty\n',
      'organizations.json': JSON.stringify([{ id: 'kth.se', name: 'KTH', country: 'SWE' }]),
      'groups.json': JSON.stringify([{ id: 'students', name: 'Students' }]),
      'teams.json': JSON.stringify([{ id: 't1', name: 'One', organization_id: 'kth.se', group_ids: ['students'] }]),
      'persons.json': JSON.stringify([{ id: 'ann', name: 'Ann', role: 'contestant', team_ids: ['t1'] }, { id: 'bo', name: 'Bo', role: 'staff' }]),
      'organizations/kth.se/logo56x56.png': logo,
    });
    const data = tempDir();
    const o = openContest({ dataDir: data, contestDir: src, problems: [problem('hello', 'A'), problem('sum', 'B')] });
    o.contest.close();
    o.store.close();
    const out = path.join(tempDir(), 'package');
    await exportContest(data, out, { contest: src });

    const back = loadContestDir(out);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    const orig = loadContestDir(src);
    if (!orig.ok) throw new Error('source');
    expect(back.config.contest).toEqual(orig.config.contest);
    expect(back.config.contest.scoreboard).toEqual({ type: 'score', scoreMode: 'subtask-sum', problemScoreModes: { sum: 'best-submission' }, tieBreak: 'penalty' });
    expect(back.config.organizations.map((x) => [x.id, x.name, x.country])).toEqual([['kth.se', 'KTH', 'SWE']]);
    expect(back.config.logos['kth.se']!.map((l) => [l.filename, l.width, l.bytes.equals(logo)])).toEqual([['logo56x56.png', 56, true]]);
    expect(back.config.teams.map((t) => [t.id, t.organizationId, t.groupIds])).toEqual([['t1', 'kth.se', ['students']]]);
    expect(back.config.persons.map((p) => [p.id, p.role, p.teamIds])).toEqual([
      ['ann', 'contestant', ['t1']],
      ['bo', 'staff', []],
    ]);
    expect(back.config.problemset?.map((p) => [p.label, p.shortName])).toEqual([
      ['A', 'hello'],
      ['B', 'sum'],
    ]);
  });
});
