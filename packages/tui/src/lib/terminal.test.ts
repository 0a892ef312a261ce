import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';

const TSX = path.join(import.meta.dirname, '../../../../node_modules/.bin/tsx');
const script = (body: string) => `import { enterFullscreen } from ${JSON.stringify(path.join(import.meta.dirname, 'terminal.ts'))};\nenterFullscreen();\n${body}`;

describe('the alternate screen is always left', () => {
  for (const [what, body, code] of [
    ['a normal exit', 'process.exit(0);', 0],
    ['an uncaught exception', 'setTimeout(() => { throw new Error("boom"); }, 10);', 70],
    ['an unhandled rejection', 'void Promise.reject(new Error("nope"));', 70],
    ['SIGTERM', 'setTimeout(() => process.kill(process.pid, "SIGTERM"), 10); setTimeout(() => {}, 5000);', null],
  ] as const) {
    test(what, async () => {
      const r = await execa(TSX, ['--eval', script(body)], { reject: false, timeout: 30_000 });
      expect(r.stdout.startsWith('\x1b[?1049h')).toBe(true);
      // Exactly one restore, at the end.
      expect(r.stdout.split('\x1b[?1049l')).toHaveLength(2);
      expect(r.stdout.endsWith('\x1b[?1049l')).toBe(true);
      if (code !== null) expect(r.exitCode).toBe(code);
      else expect(r.signal === 'SIGTERM' || r.exitCode === 143, `exit ${r.exitCode} signal ${r.signal}`).toBe(true);
      if (code === 70) expect(r.stderr).toMatch(/judge: crashed: .*(boom|nope)/);
    });
  }
});
