/** The runner's exit-code plumbing, without booting anything: only this run's sentinel counts. */
import { describe, expect, it } from 'vitest';
import { parseGuestStdout } from './guest.ts';

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
