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

  it('never writes another person\'s escape sequences to the terminal', () => {
    const lines: string[] = [];
    const hostile = 'team1\x1b]52;c;cm0gLXJm\x07\x1b]0;pwned\x07\x1b[6n\x9b2J\u202e';
    createLogger({ pretty: true, write: (l) => lines.push(l) }).warn(`login failed for ${hostile}`, { username: hostile, client: { name: hostile } });
    expect(lines[0]).toMatch(/WARN  login failed for team1 {2}username=team1 client=\{"name":"team1.*"\}$/);
    expect(lines[0]).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    // The JSON log keeps the text exact (escaped), for the record.
    const json: string[] = [];
    createLogger({ pretty: false, write: (l) => json.push(l) }).warn('x', { username: hostile });
    expect((JSON.parse(json[0]!) as { username: string }).username).toBe(hostile);
    expect(json[0]).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
  });
});
