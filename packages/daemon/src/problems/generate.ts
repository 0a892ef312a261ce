/**
 * Test data too large to commit is made on this machine by a generator shipped in the package,
 * described by generators/manifest.yaml:
 *
 *   generate:
 *     - run: [python3, big.py]          # run in generators/, output dir appended as last argument
 *       into: data/secret               # where the files go
 *       files: [50-large.in, 50-large.ans]
 *
 * Outputs are written to a temporary directory inside `into` and renamed into place, so a reader
 * never sees half a file and two processes generating at once (parallel test workers) both end with
 * complete, identical files. They are regenerated when missing or older than any file in generators/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Diagnostics, formatConfigFileError } from '../config-files/diagnostics.ts';
import { listFiles } from './programs.ts';
import { generatorManifestSchema } from './schemas.ts';
import { readYaml } from '../config-files/read.ts';

export interface GenerateResult {
  /** Absolute paths of files (re)made by this call; empty when everything was up to date. */
  generated: string[];
  /** Every output the manifest declares, absolute paths. */
  outputs: string[];
}

export function generatorManifestPath(problemDir: string): string {
  return path.join(problemDir, 'generators', 'manifest.yaml');
}

/**
 * Makes sure the package's generated test data exists and is current. Does nothing for packages
 * without generators/manifest.yaml. Throws an Error naming the manifest and the failing command.
 */
export function ensureGenerated(problemDir: string, opts: { timeoutMs?: number } = {}): GenerateResult {
  const manifest = generatorManifestPath(problemDir);
  const result: GenerateResult = { generated: [], outputs: [] };
  if (!fs.existsSync(manifest)) return result;
  const diag = new Diagnostics(path.basename(problemDir), path.dirname(problemDir));
  const read = readYaml(manifest, generatorManifestSchema, diag, () => 'see the format in packages/daemon/src/problems/generate.ts');
  if (!read) throw new Error(diag.errors.map(formatConfigFileError).join('\n'));
  const genDir = path.dirname(manifest);
  const newestSource = Math.max(...listFiles(genDir).map((f) => fs.statSync(path.join(genDir, f)).mtimeMs));

  for (const [i, step] of read.data.generate.entries()) {
    const intoDir = path.resolve(problemDir, step.into);
    if (!intoDir.startsWith(path.resolve(problemDir) + path.sep)) {
      throw new Error(`${manifest}: generate.${i}.into must stay inside the package, got ${step.into}`);
    }
    const outputs = step.files.map((f) => path.join(intoDir, f));
    result.outputs.push(...outputs);
    const fresh = outputs.every((f) => {
      try {
        const st = fs.statSync(f);
        return st.size > 0 && st.mtimeMs >= newestSource;
      } catch {
        return false;
      }
    });
    if (fresh) continue;
    fs.mkdirSync(intoDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(intoDir, '.gen-'));
    try {
      const [cmd, ...args] = step.run;
      const run = spawnSync(cmd!, [...args, tmp], {
        cwd: genDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: opts.timeoutMs ?? 600_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      if (run.error || run.status !== 0) {
        const why = run.error ? run.error.message : `exit code ${run.status}${run.signal ? ` (signal ${run.signal})` : ''}`;
        throw new Error(
          `${manifest}: generate.${i}: \`${step.run.join(' ')}\` failed: ${why}\n${(run.stderr ?? '').slice(-2000)}` +
            '\nfix the generator, or check that its interpreter/compiler is installed',
        );
      }
      for (const f of step.files) {
        const made = path.join(tmp, f);
        if (!fs.existsSync(made)) {
          throw new Error(`${manifest}: generate.${i}: \`${step.run.join(' ')}\` did not write ${f} into the directory given as its last argument`);
        }
      }
      for (const f of step.files) {
        fs.renameSync(path.join(tmp, f), path.join(intoDir, f));
        result.generated.push(path.join(intoDir, f));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return result;
}
