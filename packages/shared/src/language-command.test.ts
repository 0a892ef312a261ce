import { describe, expect, it } from 'vitest';
import { expandCommand } from './language-command.ts';

describe('expandCommand', () => {
  it('expands every placeholder and spreads {files}', () => {
    const v = { progdir: '/prog', files: ['a.c', 'b.c'], main: 'a.c', mainclass: 'x.Main', memlimitMiB: 256, stackKiB: 1000 };
    expect(expandCommand(['cc', '-o', '{binary}', '{files}', '-lm'], v)).toEqual(['cc', '-o', '/prog/a.out', 'a.c', 'b.c', '-lm']);
    expect(expandCommand(['java', '-Xmx{memlimit_mb}m', '-cp', '{progdir}', '{mainclass}'], v)).toEqual(['java', '-Xmx256m', '-cp', '/prog', 'x.Main']);
    expect(expandCommand(['node', '--stack-size={stack_kib}', '{progdir}/{main}'], v)).toEqual(['node', '--stack-size=1000', '/prog/a.c']);
    expect(expandCommand(['echo', '{unknown}'], v)).toEqual(['echo', '{unknown}']);
  });
});
