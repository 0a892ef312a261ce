/**
 * PDF statements and samples zips over the WebSocket (problemFile), in-process: nothing before the
 * start, nothing of a problem the contest leaves out, only the sample files (never data/secret, never
 * an interactive problem's .in/.ans), the PDF byte for byte.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from '../../packages/daemon/test-utils/zip.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemon, type DaemonHandle } from '../../packages/daemon/src/server/start.ts';
import { silentLogger } from '../../packages/daemon/src/server/log.ts';
import { errorCode, TestClient } from './client.ts';
import { repoRoot } from './spawn-daemon.ts';

let d: DaemonHandle;
let wsUrl: string;
let dataDir: string;
let contestDir: string;
const open: TestClient[] = [];


async function as(user: string, password: string): Promise<TestClient> {
  const c = await TestClient.login(wsUrl, user, password);
  open.push(c);
  return c;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-pfiles-'));
  contestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-pfiles-contest-'));
  const w = (f: string, s: string) => fs.writeFileSync(path.join(contestDir, f), s);
  w('contest.yaml', `name: Files\nstart_time: ${new Date(Date.now() + 3600_000).toISOString()}\nduration: '5:00:00'\n`);
  // parity is loaded from problems/ but left out of this contest: a hidden problem.
  w('problemset.yaml', 'problems:\n  - {letter: A, short-name: hello}\n  - {letter: B, short-name: guess}\n  - {letter: C, short-name: bigsum}\n');
  w('teams.json', JSON.stringify([{ id: 't1', name: 'Team One' }]));
  w('accounts.yaml', '- {username: team1, password: secret-t1, type: team, team_id: t1}\n- {username: admin, password: secret-admin, type: admin}\n');
  d = await createDaemon({ problems: path.join(repoRoot, 'problems'), contest: contestDir, data: dataDir, port: '0', workers: '1' }, { log: silentLogger, engine: null });
  wsUrl = `ws://127.0.0.1:${d.port}/ws`;
});

afterAll(async () => {
  for (const c of open) c.terminate();
  await d?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(contestDir, { recursive: true, force: true });
});

describe('problemFile: PDF statements and samples', () => {
  it('gives a team nothing before the start, and the jury everything', async () => {
    const t = await as('team1', 'secret-t1');
    expect(await errorCode(t.request('problemFile', { problemId: 'hello', kind: 'statementPdf' }))).toBe('contest_not_running');
    expect(await errorCode(t.request('problemFile', { problemId: 'hello', kind: 'samplesZip' }))).toBe('contest_not_running');
    const admin = await as('admin', 'secret-admin');
    const pdf = await admin.request('problemFile', { problemId: 'hello', kind: 'statementPdf' });
    expect(pdf.mediaType).toBe('application/pdf');
  });

  it('after the start: the PDF byte for byte, the samples only, an interactive problem only its transcripts', async () => {
    const admin = await as('admin', 'secret-admin');
    await admin.request('contestControl', { action: 'startNow' });
    const t = await as('team1', 'secret-t1');
    const pdf = await t.request('problemFile', { problemId: 'hello', kind: 'statementPdf' });
    expect(pdf.name).toBe('hello.en.pdf');
    expect(Buffer.from(pdf.contentBase64, 'base64').equals(fs.readFileSync(path.join(repoRoot, 'problems/hello/problem_statement/problem.en.pdf')))).toBe(true);
    expect((await t.request('statement', { problemId: 'hello' })).problem.statementPdfs).toEqual(['en']);

    const zip = unzipSync(Buffer.from((await t.request('problemFile', { problemId: 'hello', kind: 'samplesZip' })).contentBase64, 'base64'));
    const sampleDir = path.join(repoRoot, 'problems/hello/data/sample');
    expect(Object.keys(zip).sort()).toEqual(fs.readdirSync(sampleDir).sort());
    for (const [name, data] of Object.entries(zip)) expect(Buffer.from(data).equals(fs.readFileSync(path.join(sampleDir, name)))).toBe(true);

    const interactive = unzipSync(Buffer.from((await t.request('problemFile', { problemId: 'guess', kind: 'samplesZip' })).contentBase64, 'base64'));
    expect(Object.keys(interactive).length).toBeGreaterThan(0);
    expect(Object.keys(interactive).every((n) => n.endsWith('.interaction'))).toBe(true);

    // bigsum has a Markdown statement only.
    expect(await errorCode(t.request('problemFile', { problemId: 'bigsum', kind: 'statementPdf' }))).toBe('not_found');
  });

  it('never serves a problem the contest leaves out, even by its id', async () => {
    const t = await as('team1', 'secret-t1');
    for (const kind of ['statementPdf', 'samplesZip'] as const) expect(await errorCode(t.request('problemFile', { problemId: 'parity', kind }))).toBe('not_found');
    expect(await errorCode(t.request('statement', { problemId: 'parity' }))).toBe('not_found');
  });
});
