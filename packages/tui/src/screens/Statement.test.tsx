import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../app.tsx';
import { teamState } from '../../test-utils/fixtures.ts';
import { fakeApi, frameContaining, frameFits, renderAt, tick, type Rendered } from '../../test-utils/testing.tsx';

const mounted: Rendered[] = [];
const dirs: string[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

const PDF = Buffer.from('%PDF-1.4\n% a test statement\n%%EOF\n');

async function mountStatement(cols: number, rows: number) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-stmt-'));
  dirs.push(cwd);
  const store = teamState();
  const pa = store.getSnapshot().statements['pa']!;
  store.update({ statements: { ...store.getSnapshot().statements, pa: { ...pa, statementPdfs: ['en'] } } });
  const api = fakeApi({
    problemFile: (f) =>
      f.kind === 'statementPdf'
        ? { name: 'pa.en.pdf', mediaType: 'application/pdf', contentBase64: PDF.toString('base64') }
        : { name: 'pa-samples.zip', mediaType: 'application/zip', contentBase64: Buffer.from(zipSync({ '1.in': strToU8('3\n'), '1.ans': strToU8('6\n') })).toString('base64') },
  });
  const r = renderAt(<App store={store} api={api} cwd={cwd} />, cols, rows);
  mounted.push(r);
  await tick(30);
  await r.press('2');
  await frameContaining(r, 'A. Hello World');
  return { r, api, cwd };
}

describe('Statement screen: saving the PDF and the samples', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    test(`${cols}x${rows}: p saves the PDF and says where, d unpacks the samples, a changed sample is kept`, async () => {
      const { r, cwd } = await mountStatement(cols, rows);
      expect(r.frame()).toContain('p PDF');
      await r.press('p');
      let f = await frameContaining(r, 'PDF saved to A.pdf');
      expect(f).toContain('PDF saved to A.pdf in');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(fs.readFileSync(path.join(cwd, 'A.pdf')).equals(PDF)).toBe(true);

      await r.press('d');
      f = await frameContaining(r, 'samples in A/');
      expect(f).toContain('2 written, 0 unchanged');
      expect(fs.readFileSync(path.join(cwd, 'A', '1.ans'), 'utf8')).toBe('6\n');
      fs.writeFileSync(path.join(cwd, 'A', '1.ans'), 'edited\n');
      await r.press('d');
      f = await frameContaining(r, 'already exists with other content');
      expect(frameFits(f, cols, rows).ok, f).toBe(true);
      expect(fs.readFileSync(path.join(cwd, 'A', '1.ans'), 'utf8')).toBe('edited\n');
    });
  }

  test('a problem without a PDF says so and asks the server nothing', async () => {
    const { r, api } = await mountStatement(80, 24);
    await r.press('l');
    await frameContaining(r, 'B. Sum of Two');
    expect(r.frame()).not.toContain('p PDF');
    await r.press('p');
    await frameContaining(r, 'this problem has no PDF statement');
    expect(api.calls.some((c) => c.type === 'problemFile')).toBe(false);
  });
});
