/** The runner's exit-code plumbing, without booting anything: only this run's sentinel counts. */
import { describe, expect, it } from 'vitest';
import { describeExit, emulatorFault, parseFaults, parseGuestStdout } from './guest.ts';

const NONCE = '0123456789abcdef';

describe('parseGuestStdout', () => {
  it('splits the output from the exit code of the sentinel line', () => {
    expect(parseGuestStdout(`line 1\r\nline 2\n@@judged-vm-exit ${NONCE} 0\n`, NONCE)).toEqual({
      stdout: 'line 1\nline 2\n',
      exitCode: 0,
    });
    expect(parseGuestStdout(`@@judged-vm-exit ${NONCE} 1`, NONCE)).toEqual({ stdout: '', exitCode: 1 });
  });

  it('passes a failing exit code through unchanged', () => {
    expect(parseGuestStdout(`FAIL run.test.ts\n@@judged-vm-exit ${NONCE} 137\n`, NONCE).exitCode).toBe(137);
  });

  it('ignores a sentinel with another nonce or with output after it', () => {
    const forged = parseGuestStdout(`@@judged-vm-exit ffffffffffffffff 0\n`, NONCE);
    expect(forged.exitCode).toBeNull();
    const early = parseGuestStdout(`@@judged-vm-exit ${NONCE} 0\nmore output\n`, NONCE);
    expect(early.exitCode).toBeNull();
  });

  it('reports a guest that died before the command ended, and an init failure', () => {
    const died = parseGuestStdout('half of the out', NONCE);
    expect(died).toMatchObject({ exitCode: null, stdout: 'half of the out' });
    expect(died.failure).toMatch(/without reporting an exit status/);
    const init = parseGuestStdout('@@judged-vm-failed init: insmod 9p failed\n', NONCE);
    expect(init.exitCode).toBeNull();
    expect(init.failure).toBe('guest init failed: init: insmod 9p failed');
  });
});

describe('the report of a command killed by a signal', () => {
  it('names the signal behind a shell exit code above 128', () => {
    expect(describeExit(139)).toBe('exit 139 (killed by SIGSEGV)');
    expect(describeExit(137)).toBe('exit 137 (killed by SIGKILL)');
    expect(describeExit(1)).toBe('exit 1');
    expect(describeExit(null)).toBe('no exit status');
  });

  it("keeps the kernel's fault lines that follow the marker, and only those", () => {
    const console = [
      '[    3.1] node[99]: segfault at 0 ip 1 sp 2 error 4 (boot: before the command, not copied)',
      '@@judged-vm-faults\r',
      '[   27.5] node[812]: segfault at 18 ip 00007f0012345678 sp 00007ffd00000000 error 4 in node[400000+2000000]\r',
      '[   27.5] Code: 48 8b 47 18 c5 fe 6f 06 <c5> fe 7f 07 c3\r',
      '[   28.0] sysrq: Power Off\r',
      '',
    ].join('\n');
    expect(parseFaults(console)).toEqual([
      '[   27.5] node[812]: segfault at 18 ip 00007f0012345678 sp 00007ffd00000000 error 4 in node[400000+2000000]',
      '[   27.5] Code: 48 8b 47 18 c5 fe 6f 06 <c5> fe 7f 07 c3',
    ]);
    expect(parseFaults('no marker: the guest died before the command ended')).toEqual([]);
  });
});

describe('which first-boot failures earn a second boot under TCG', () => {
  const lexer = (file: string) =>
    ['node:internal/modules/run_main:123', '    triggerUncaughtException(', '    ^', `Error: Parse error ${file}:1:35`, '    at parse (file:///x/tsx/dist/lexer.mjs:1:622)'].join('\n');

  it('a fault signal, or the module lexer refusing an installed package', () => {
    expect(emulatorFault({ exitCode: 139, stderr: '' })).toBe('exit 139 (killed by SIGSEGV)');
    expect(emulatorFault({ exitCode: 1, stderr: lexer('/c/node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/core/memoizer.js') }))
      .toBe('exit 1: the module lexer refused /c/node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/core/memoizer.js');
  });

  it("never judged's own failures: a parse error in the project's sources, a test that fails, a kill, success", () => {
    expect(emulatorFault({ exitCode: 1, stderr: lexer('/c/packages/daemon/src/cli.ts') })).toBeUndefined();
    expect(emulatorFault({ exitCode: 1, stderr: 'FAIL run.test.ts\nError: Parse error in a test name' })).toBeUndefined();
    expect(emulatorFault({ exitCode: 137, stderr: '' })).toBeUndefined();
    expect(emulatorFault({ exitCode: null, stderr: '' })).toBeUndefined();
    expect(emulatorFault({ exitCode: 0, stderr: lexer('/c/node_modules/zod/index.js') })).toBeUndefined();
  });
});
