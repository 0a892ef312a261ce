/**
 * A wall-bound problem for the judgehost suite and bench: every test's program sleeps napMs and echoes
 * its input, so judging takes time without taking CPU (a 2-core machine can show many judgehosts
 * scaling). Written into `root` as the package "nap".
 */
import { writePackage } from './problem-packages.ts';

export function writeNapProblem(root: string, tests: number): string {
  const files: Record<string, string> = {
    'problem.yaml': 'name: Nap\nlimits:\n  memory: 256\n',
    '.timelimit': '2\n',
    'data/sample/1.in': '0\n',
    'data/sample/1.ans': '0\n',
    'submissions/accepted/nap.py': napSource(200),
  };
  for (let i = 1; i <= tests; i++) {
    files[`data/secret/${String(i).padStart(2, '0')}.in`] = `${i}\n`;
    files[`data/secret/${String(i).padStart(2, '0')}.ans`] = `${i}\n`;
  }
  return writePackage(root, 'nap', files);
}

/** The accepted program: sleeps napMs, then echoes its input. */
export function napSource(napMs: number): string {
  return `import sys, time\ntime.sleep(${napMs / 1000})\nsys.stdout.write(sys.stdin.read())\n`;
}
