import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

describe('createLogger', () => {
  it('writes one JSON object a line with bound and call fields', () => {
    const lines: string[] = [];
    const log = createLogger({ pretty: false, write: (l) => lines.push(l) }).child({ worker: 1 });
    log.info('judged', { submission: 7 });
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]!);
    expect(rec).toMatchObject({ level: 'info', msg: 'judged', worker: 1, submission: 7 });
    expect(typeof rec.time).toBe('string');
  });

  it('serializes errors with their message', () => {
    const lines: string[] = [];
    createLogger({ pretty: false, write: (l) => lines.push(l) }).error('boom', { err: new Error('disk full') });
    expect(JSON.parse(lines[0]!).err.message).toBe('disk full');
  });

  it('formats a readable line when pretty', () => {
    const lines: string[] = [];
    createLogger({ pretty: true, write: (l) => lines.push(l) }).warn('slow', { ms: 12 });
    expect(lines[0]).toMatch(/WARN  slow {2}ms=12$/);
  });
});
