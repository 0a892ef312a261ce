/**
 * What installing @judged/daemon gives: a `judged` command that runs, and product code only (no tests,
 * no test-utils, no benches) in the package's files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './spawn-daemon.ts';

const pkgDir = path.join(repoRoot, 'packages/daemon');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };

describe('the @judged/daemon package', () => {
  it('has a judged bin that starts without the workspace (tsx is its own dependency)', () => {
    expect(pkg.dependencies.tsx, 'bin/judged.js loads the TypeScript through tsx').toBeDefined();
    const bin = path.join(pkgDir, pkg.bin.judged!);
    expect(fs.existsSync(bin), `${pkg.bin.judged} is missing`).toBe(true);
    // Run from outside the workspace, as an installed command would be.
    const r = spawnSync(process.execPath, [bin, '--help'], { cwd: '/', encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: judged /);
    expect(r.stdout).toMatch(/\bdoctor\b/);
  });

  it('packs product code only', { timeout: 60_000 }, () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkgDir, encoding: 'utf8' });
    const files = (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toContain('bin/judged.js');
    expect(files).toContain('src/cli.ts');
    expect(files).toContain('native/src/supervisor.c');
    const notProduct = files.filter((f) => /\.test\.tsx?$/.test(f) || f.startsWith('test-utils/') || f.startsWith('native/build/'));
    expect(notProduct).toEqual([]);
    // Every product source file ships.
    const src = fs.readdirSync(path.join(pkgDir, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|html)$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.filter((f) => f.startsWith('src/')).sort()).toEqual(src.map((f) => `src/${f}`).sort());
  });
});
