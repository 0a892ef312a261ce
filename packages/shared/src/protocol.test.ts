import { describe, expect, it } from 'vitest';
import {
  MAX_FRAME_BYTES,
  MIN_START_LEAD_MS,
  startLeadError,
  MAX_SOURCE_BYTES,
  PROTOCOL_VERSION,
  REQUEST_TYPES,
  RESULT_SCHEMAS,
  TeamSubmissionSchema,
  TeamVerdictSchema,
  TeamTestResultSchema,
  MAX_TEAM_MESSAGE_CHARS,
  errorFrame,
  eventFrame,
  mayRequest,
  okFrameOf,
  parseClientFrame,
  parseServerFrame,
  sourceSizeError,
  utf8ByteLength,
  type ContestClock,
} from './protocol.ts';

const clock: ContestClock = {
  contestId: 'lan-2026',
  name: 'LAN Contest',
  state: 'running',
  startAtMs: 1_700_000_000_000,
  durationMs: 5 * 3600_000,
  endAtMs: 1_700_018_000_000,
  freezeAtMs: 1_700_014_400_000,
  scoreboardFrozen: false,
  finalized: false,
  penaltyTimeMin: 20,
  serverTimeMs: 1_700_000_100_000,
};

function submit(files: Array<{ name: string; source: string }>) {
  return JSON.stringify({ id: 7, type: 'submit', problemId: 'hello', language: 'cpp', files });
}

describe('parseClientFrame', () => {
  it('accepts a valid request and keeps its fields', () => {
    const r = parseClientFrame(JSON.stringify({ id: 1, type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'test' }));
    expect(r).toEqual({ ok: true, frame: { id: 1, type: 'hello', protocolVersion: 1, client: 'test' } });
  });

  it('accepts a submission and fills defaults elsewhere', () => {
    const r = parseClientFrame(submit([{ name: 'main.cpp', source: 'int main(){}' }]));
    expect(r.ok).toBe(true);
    const q = parseClientFrame(JSON.stringify({ id: 'q', type: 'jurySubmissions' }));
    expect(q.ok && q.frame.type === 'jurySubmissions' && q.frame.limit).toBe(200);
  });

  it.each([
    ['not json', 'garbage{', 'bad_frame', /not valid JSON/],
    ['an array', '[1,2]', 'bad_frame', /JSON object/],
    ['null', 'null', 'bad_frame', /JSON object/],
    ['a string', '"hello"', 'bad_frame', /JSON object/],
    ['no type', '{"id":1}', 'bad_frame', /'type'/],
    ['unknown type', '{"id":1,"type":"sudo"}', 'bad_frame', /unknown request type 'sudo'/],
    ['empty', '', 'bad_frame', /not valid JSON/],
  ])('refuses %s with a precise error and never throws', (_what, text, code, message) => {
    const r = parseClientFrame(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message).toMatch(message);
    }
  });

  it('survives deeply nested garbage', () => {
    const deep = '{"id":1,"type":"hello","x":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}';
    expect(() => parseClientFrame(deep)).not.toThrow();
  });

  it('names the offending field and returns the id', () => {
    const r = parseClientFrame(submit([{ name: '../etc/passwd', source: 'x' }]));
    expect(r).toMatchObject({ ok: false, id: 7, code: 'bad_request', field: 'files.0.name' });
    if (!r.ok) expect(r.message).toMatch(/files\.0\.name/);
    const m = parseClientFrame(JSON.stringify({ id: 2, type: 'login', username: 'team1' }));
    expect(m).toMatchObject({ ok: false, id: 2, field: 'password' });
  });

  it('refuses duplicate file names and empty submissions', () => {
    expect(parseClientFrame(submit([{ name: 'a.py', source: '' }, { name: 'a.py', source: '' }]))).toMatchObject({ ok: false, field: 'files.1.name' });
    expect(parseClientFrame(submit([]))).toMatchObject({ ok: false, field: 'files' });
  });

  it('refuses a source over the limit with a clear message', () => {
    const r = parseClientFrame(submit([{ name: 'big.cpp', source: 'x'.repeat(MAX_SOURCE_BYTES + 1) }]));
    expect(r).toMatchObject({ ok: false, code: 'source_too_large', id: 7 });
    if (!r.ok) expect(r.message).toContain('the limit is 256.0 KiB (262144 bytes)');
    // Exactly at the limit is fine; multi-byte characters count as their UTF-8 bytes.
    expect(parseClientFrame(submit([{ name: 'ok.cpp', source: 'x'.repeat(MAX_SOURCE_BYTES) }])).ok).toBe(true);
    const euros = '€'.repeat(Math.floor(MAX_SOURCE_BYTES / 3) + 1);
    expect(parseClientFrame(submit([{ name: 'u.py', source: euros }]))).toMatchObject({ ok: false, code: 'source_too_large' });
  });

  it('refuses a frame over the frame limit before parsing it', () => {
    const r = parseClientFrame('{"id":1,"type":"hello","pad":"' + 'x'.repeat(MAX_FRAME_BYTES) + '"}');
    expect(r).toMatchObject({ ok: false, code: 'frame_too_large' });
  });

  it.each([
    ['ask', { type: 'ask', problemId: null, text: 'hi\x1b]52;c;cm0gLXJm\x07' }, 'text', 'U+001B'],
    ['answer', { type: 'answer', clarificationId: '1', to: 'all', text: 'ok\x9b6n' }, 'text', 'U+009B'],
    ['announce', { type: 'announce', problemId: null, text: 'a\u202eb' }, 'text', 'U+202E'],
    ['login', { type: 'login', username: 'team1\x1b[2J', password: 'x' }, 'username', 'U+001B'],
    ['hello', { type: 'hello', protocolVersion: 1, client: 'x\x07' }, 'client', 'U+0007'],
    ['rejudge', { type: 'rejudge', scope: { kind: 'all' }, reason: '\x1b]0;t\x07' }, 'reason', 'U+001B'],
    ['addTeam name', { type: 'addTeam', teamId: 't9', name: 'Evil\x1b]0;x\x07', organization: null, username: 'team9', password: 'password9' }, 'name', 'U+001B'],
    ['addTeam organization', { type: 'addTeam', teamId: 't9', name: 'Evil', organization: 'Org\nline2', username: 'team9', password: 'password9' }, 'organization', 'U+000A'],
    ['editTeam name', { type: 'editTeam', teamId: 't9', name: 'Evil\x1b[2J' }, 'name', 'U+001B'],
    ['editTeam location', { type: 'editTeam', teamId: 't9', location: 'Room 1\ttable 2' }, 'location', 'U+0009'],
    ['editTeam organization', { type: 'editTeam', teamId: 't9', organization: 'Org\u202e' }, 'organization', 'U+202E'],
    ['addTeam username', { type: 'addTeam', teamId: 't9', name: 'Evil', organization: null, username: 'u\u2066', password: 'password9' }, 'username', 'U+2066'],
  ])('refuses control characters in %s, naming the field and the character', (_what, req, field, char) => {
    const r = parseClientFrame(JSON.stringify({ id: 3, ...req }));
    expect(r).toMatchObject({ ok: false, id: 3, code: 'bad_request', field });
    if (!r.ok) expect(r.message).toContain(`field '${field}': contains ${char}`);
  });

  it('accepts line breaks and tabs in clarification text, and any Unicode text', () => {
    expect(parseClientFrame(JSON.stringify({ id: 1, type: 'ask', problemId: null, text: 'Is n ≤ 10⁵?\r\n\tthanks, 東京' })).ok).toBe(true);
    expect(parseClientFrame(JSON.stringify({ id: 1, type: 'login', username: 'équipe', password: '\x1bany password' })).ok).toBe(true);
  });

  it('names the field of a bad editTeam group id (the list index included)', () => {
    const r = parseClientFrame(JSON.stringify({ id: 1, type: 'editTeam', teamId: 't9', groupIds: ['site-a', ''] }));
    expect(r).toMatchObject({ ok: false, code: 'bad_request', field: 'groupIds.1' });
  });

  it('checks contest times consistently', () => {
    const r = parseClientFrame(JSON.stringify({ id: 1, type: 'setContestTimes', startAtMs: 0, durationMs: 1000, freezeDurationMs: 2000 }));
    expect(r).toMatchObject({ ok: false, field: 'freezeDurationMs' });
  });
});

describe('sizes', () => {
  it('counts UTF-8 bytes like Buffer does', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\u{10FFFF}b', '\ud800x', 'x\udc00']) {
      expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
    }
  });

  it('sourceSizeError describes multi-file submissions', () => {
    expect(sourceSizeError([{ name: 'a', source: 'xx' }], 2)).toBeNull();
    expect(sourceSizeError([{ name: 'a', source: 'xx' }, { name: 'b', source: 'y' }], 2)).toMatch(/the 2 source files are/);
  });
});

describe('parseServerFrame', () => {
  it('round-trips ok, error and event frames', () => {
    const frames = [
      okFrameOf(1, 'clock', { clock }),
      okFrameOf('s', 'subscribe', { mode: 'replay', headSeq: 10 }),
      errorFrame(3, 'forbidden', 'teams may not rejudge'),
      errorFrame(null, 'bad_frame', 'not JSON', 'type'),
      eventFrame(11, clock.serverTimeMs, { kind: 'clock', clock }),
      eventFrame(12, clock.serverTimeMs, { kind: 'progress', submissionId: '5', judgingId: '9', status: 'running', testIndex: 3, testCount: 20 }),
    ];
    for (const f of frames) {
      const r = parseServerFrame(JSON.stringify(f));
      expect(r).toEqual({ ok: true, frame: f });
    }
  });

  it('refuses an ok frame whose result does not fit its request type', () => {
    const bad = { type: 'ok', id: 1, for: 'clock', result: { clock: { ...clock, state: 'paused' } } };
    const r = parseServerFrame(JSON.stringify(bad));
    expect(r).toMatchObject({ ok: false, id: 1, field: 'result.clock.state' });
  });

  it('refuses an unknown event kind', () => {
    const r = parseServerFrame(JSON.stringify({ type: 'event', seq: 1, atMs: 0, event: { kind: 'boom' } }));
    expect(r).toMatchObject({ ok: false, field: 'event.kind' });
  });
});

describe('secrets stay out of team types', () => {
  it('a team submission and verdict have no team, source or hidden-test fields', () => {
    const keys = Object.keys(TeamSubmissionSchema.shape).concat(Object.keys(TeamVerdictSchema.shape));
    for (const k of ['teamId', 'teamName', 'files', 'source', 'runs', 'judgeMessage', 'stderrExcerpt']) expect(keys).not.toContain(k);
  });

  it("a team's test results have no judgemessage, and the team message is size-capped", () => {
    expect(Object.keys(TeamTestResultSchema.shape)).not.toContain('judgeMessage');
    const v = { submissionId: '1', judgingId: '1', verdict: 'WA', timeMs: 1, memoryKiB: 1, testsPassed: 0, testCount: 1, compileOutput: null, tests: [] };
    expect(TeamVerdictSchema.safeParse({ ...v, teamMessage: 'x'.repeat(MAX_TEAM_MESSAGE_CHARS) }).success).toBe(true);
    expect(TeamVerdictSchema.safeParse({ ...v, teamMessage: 'x'.repeat(MAX_TEAM_MESSAGE_CHARS + 1) }).success).toBe(false);
  });

  it('extra fields a buggy server might add are stripped when parsing', () => {
    const sub = TeamSubmissionSchema.parse({
      id: '1', problemId: 'a', language: 'cpp', fileNames: ['a.cpp'], submittedAtMs: 1, contestTimeMs: 1,
      status: 'judged', verdict: 'AC', timeMs: 5, memoryKiB: 100, testIndex: 3, testCount: 3, teamId: 'other',
    });
    expect(sub).not.toHaveProperty('teamId');
  });
});

describe('access', () => {
  it('has a result schema and an access rule for every request type', () => {
    for (const t of REQUEST_TYPES) expect(RESULT_SCHEMAS[t]).toBeDefined();
    expect(REQUEST_TYPES.length).toBe(Object.keys(RESULT_SCHEMAS).length);
  });

  it('enforces roles', () => {
    expect(mayRequest('public', 'scoreboard')).toBe(true);
    expect(mayRequest('public', 'problems')).toBe(false);
    expect(mayRequest('team', 'submit')).toBe(true);
    expect(mayRequest('judge', 'submit')).toBe(false);
    expect(mayRequest('team', 'rejudge')).toBe(false);
    expect(mayRequest('judge', 'rejudge')).toBe(true);
    expect(mayRequest('judge', 'contestControl')).toBe(false);
    expect(mayRequest('admin', 'contestControl')).toBe(true);
    expect(mayRequest('admin', 'queue')).toBe(true);
  });
});

describe('startLeadError (no start in the past: the form, setContestTimes and the Contest API)', () => {
  const now = 1_764_061_200_000;
  it('holds a contest not started to MIN_START_LEAD_MS ahead, naming how far off the start is', () => {
    expect(MIN_START_LEAD_MS).toBe(30_000);
    expect(startLeadError(now - 5 * 60_000, now + 3600_000, now)).toBe('the new start is 300 s in the past: a start must be at least 30 s ahead');
    expect(startLeadError(now + 29_999, null, now)).toMatch(/^the new start is only 29 s from now/);
    expect(startLeadError(now + 30_000, null, now)).toBeNull();
  });
  it('lets through an unchanged start, unscheduling, and any start of a contest already running', () => {
    expect(startLeadError(now + 10_000, now + 10_000, now)).toBeNull();
    expect(startLeadError(null, now + 10_000, now)).toBeNull();
    expect(startLeadError(now - 3600_000, now - 60_000, now)).toBeNull();
  });
});
