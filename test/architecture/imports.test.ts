/**
 * The import rules of docs/architecture.md, checked on every import (static, `export from`, dynamic
 * `import()`, `import type`) of every file under packages/<pkg>/src. A broken rule fails with the file,
 * the import and the rule. The second block feeds the checker bad imports made up for the purpose, so
 * the check is shown to catch each kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where an import points, as a path from the repository root, or null for node: and npm packages. */
function target(from: string, spec: string): string | null {
  if (spec.startsWith('.')) return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const m = /^@judged\/([^/]+)(?:\/(.*))?$/.exec(spec);
  if (!m) return null;
  return m[1] === 'shared' ? `packages/shared/src/${m[2] ?? 'index'}` : `packages/${m[1]}/${m[2] ?? ''}`;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const under = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);
const daemonPart = (file: string) => (under(file, 'packages/daemon/src') ? file.slice('packages/daemon/src/'.length).split('/')[0]! : null);

interface Rule {
  name: string;
  /** Whether an import of `to` from `from` breaks the rule. */
  broken(from: string, to: string): boolean;
}

const RULES: Rule[] = [
  {
    name: 'the client (packages/tui) never imports the daemon',
    broken: (from, to) => under(from, 'packages/tui') && under(to, 'packages/daemon'),
  },
  {
    name: 'packages/shared imports neither the daemon nor the client',
    broken: (from, to) => under(from, 'packages/shared') && (under(to, 'packages/daemon') || under(to, 'packages/tui')),
  },
  {
    name: 'the sandbox (daemon/src/sandbox) imports nothing else of the project',
    broken: (from, to) => daemonPart(from) === 'sandbox' && !under(to, 'packages/daemon/src/sandbox') && !(isTest(from) && under(to, 'packages/daemon/test-utils')),
  },
  {
    name: 'judging knows no server, store or contest',
    broken: (from, to) => daemonPart(from) === 'judging' && ['server', 'store', 'contest'].includes(daemonPart(to) ?? ''),
  },
  {
    name: 'the store knows no server, contest or judging',
    broken: (from, to) => daemonPart(from) === 'store' && ['server', 'contest', 'judging'].includes(daemonPart(to) ?? ''),
  },
  {
    name: 'config-files (generic YAML/JSON reading) knows no other part of the daemon',
    broken: (from, to) => daemonPart(from) === 'config-files' && under(to, 'packages/daemon') && daemonPart(to) !== 'config-files' && !isTest(from),
  },
  {
    name: 'product code (src, not a test) never imports test-utils, test/, bench/ or a test file',
    broken: (from, to) =>
      !isTest(from) && /^packages\/[^/]+\/src\//.test(from) && (/^packages\/[^/]+\/test-utils(\/|$)/.test(to) || under(to, 'test') || under(to, 'bench') || isTest(to)),
  },
];

/** Every broken rule in `files` (path from the repository root -> source text), one line each. */
function violations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    for (const imp of ts.preProcessFile(text, true, true).importedFiles) {
      const to = target(file, imp.fileName);
      if (to === null) continue;
      for (const rule of RULES) if (rule.broken(file, to)) out.push(`${file}: import '${imp.fileName}' breaks "${rule.name}"`);
    }
  }
  return out;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const pkg of fs.readdirSync(path.join(repoRoot, 'packages'))) {
    const src = path.join(repoRoot, 'packages', pkg, 'src');
    if (!fs.existsSync(src)) continue;
    for (const rel of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (/\.(ts|tsx|js|mjs)$/.test(rel)) files.set(`packages/${pkg}/src/${rel.split(path.sep).join('/')}`, fs.readFileSync(path.join(src, rel), 'utf8'));
    }
  }
  return files;
}

describe('import rules (docs/architecture.md)', () => {
  it('hold for every import under packages/*/src', () => {
    const files = sourceFiles();
    expect(files.size).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });
});

describe('the import check', () => {
  const bad: [string, string, string][] = [
    ['packages/tui/src/app.tsx', "import { openStore } from '../../daemon/src/store/index.ts';", 'the client'],
    ['packages/tui/src/x.ts', "const m = await import('@judged/daemon/src/server/start.ts');", 'the client'],
    ['packages/shared/src/verdict.ts', "import type { Contest } from '../../daemon/src/contest/index.ts';", 'packages/shared'],
    ['packages/shared/src/a.ts', "export { x } from '../../tui/src/state.ts';", 'packages/shared'],
    ['packages/daemon/src/sandbox/index.ts', "import type { Store } from '../store/index.ts';", 'the sandbox'],
    ['packages/daemon/src/sandbox/index.ts', "import { Verdict } from '@judged/shared/verdict';", 'the sandbox'],
    ['packages/daemon/src/judging/engine.ts', "import { Logger } from '../server/log.ts';", 'judging'],
    ['packages/daemon/src/judging/build.ts', "import { openStore } from '../store/index.ts';", 'judging'],
    ['packages/daemon/src/store/queue.ts', "import { Contest } from '../contest/contest.ts';", 'the store'],
    ['packages/daemon/src/config-files/read.ts', "import { ProblemPackage } from '../problems/types.ts';", 'config-files'],
    ['packages/daemon/src/server/start.ts', "import { makeFakeContest } from '../../test-utils/fake-contest.ts';", 'product code'],
    ['packages/tui/src/cli.ts', "import { x } from '../../../test/daemon/client.ts';", 'product code'],
  ];
  it.each(bad)('catches %s: %s', (file, line, rule) => {
    const found = violations(new Map([[file, `${line}\n`]]));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${file}: import '`);
    expect(found[0]).toContain(`breaks "${rule}`);
  });

  it('lets the allowed arrows through', () => {
    const ok = new Map([
      ['packages/tui/src/client.ts', "import { Frame } from '@judged/shared/protocol';"],
      ['packages/daemon/src/server/start.ts', "import { openStore } from '../store/index.ts';\nimport { JudgeEngine } from '../judging/engine.ts';"],
      ['packages/daemon/src/judging/engine.ts', "import type { Sandbox } from '../sandbox/types.ts';\nimport fs from 'node:fs';"],
      ['packages/daemon/src/sandbox/run.test.ts', "import { testSlot } from '../../test-utils/slots.ts';"],
      ['packages/daemon/src/store/store.test.ts', "import { seededStore } from '../../test-utils/store-fixtures.ts';"],
    ]);
    expect(violations(ok)).toEqual([]);
  });
});
