import { describe, expect, it } from 'vitest';
import { parseQueueUrl } from './connection.ts';
import { checkPackageAuth, JobBodySchema, open, packageAuth, parseJobId, ProgressBodySchema, ResultBodySchema, sign } from './protocol.ts';

const SECRET = 'a'.repeat(64);
const result = { judgingId: '7', attempt: 2, judgehost: 'judge-b', worker: 'judge-b/x/0', outcome: { kind: 'fail', message: 'sandbox broke' } };

describe('queue messages', () => {
  it('opens what the secret signed, and refuses a forged signature, another purpose, a changed body, junk', () => {
    const signed = sign(SECRET, 'result', result);
    expect(open(SECRET, 'result', signed, ResultBodySchema)).toEqual({ ok: true, body: result });
    expect(open('b'.repeat(64), 'result', signed, ResultBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/bad signature/) });
    // A job signature does not make a result.
    expect(open(SECRET, 'result', sign(SECRET, 'job', result), ResultBodySchema)).toMatchObject({ ok: false });
    expect(open(SECRET, 'result', { ...signed, body: signed.body.replace('"fail"', '"complete"') }, ResultBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/bad signature/) });
    for (const junk of [null, 'x', { body: 1, sig: 'a' }, { body: '{}', sig: 'zz' }]) expect(open(SECRET, 'result', junk, ResultBodySchema).ok).toBe(false);
  });

  it('refuses a well-signed body that is malformed, naming the field', () => {
    const bad = sign(SECRET, 'result', { ...result, attempt: -1 });
    expect(open(SECRET, 'result', bad, ResultBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/malformed: attempt/) });
    const badJob = sign(SECRET, 'job', { judgingId: '1', submissionId: '1', attempt: 1, problemId: 'a', packageHash: 'nothex', language: 'cpp', files: [], limits: { timeLimitMs: 1, memoryMiB: 1 }, publishedAtMs: 0 });
    expect(open(SECRET, 'job', badJob, JobBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/packageHash/) });
  });

  it('progress is signed like a result: unsigned, forged or a result signature refused; it names its judging and attempt', () => {
    const progress = { judgingId: '7', attempt: 2, progress: { status: 'running', testIndex: 3, testCount: 9 } };
    expect(open(SECRET, 'progress', sign(SECRET, 'progress', progress), ProgressBodySchema)).toEqual({ ok: true, body: progress });
    // What an unsigned BullMQ updateProgress carries: the bare progress object.
    expect(open(SECRET, 'progress', progress.progress, ProgressBodySchema)).toMatchObject({ ok: false, why: 'not a signed message' });
    expect(open(SECRET, 'progress', sign('b'.repeat(64), 'progress', progress), ProgressBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/bad signature/) });
    expect(open(SECRET, 'progress', sign(SECRET, 'result', progress), ProgressBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/bad signature/) });
    expect(open(SECRET, 'progress', sign(SECRET, 'progress', { ...progress, progress: { status: 'done' } }), ProgressBodySchema)).toMatchObject({ ok: false, why: expect.stringMatching(/malformed: progress.status/) });
  });

  it('job ids are "<judging>-<attempt>" and nothing else', () => {
    expect(parseJobId('12-3')).toEqual({ judgingId: '12', attempt: 3 });
    for (const id of ['12', '0-1', '1-0', '1-1-1', 'a-1', undefined]) expect(parseJobId(id)).toBeNull();
  });

  it('package downloads: a fresh header for that hash passes; stale, other hash or other secret do not', () => {
    const hash = 'c'.repeat(64);
    const now = 1_800_000_000_000;
    expect(checkPackageAuth(SECRET, packageAuth(SECRET, 'h1', hash, now), hash, now + 1000)).toEqual({ ok: true, name: 'h1' });
    expect(checkPackageAuth(SECRET, packageAuth(SECRET, 'h1', hash, now), hash, now + 120_000)).toMatchObject({ ok: false, why: expect.stringMatching(/stale/) });
    expect(checkPackageAuth(SECRET, packageAuth(SECRET, 'h1', hash, now), 'd'.repeat(64), now)).toMatchObject({ ok: false, why: 'bad signature' });
    expect(checkPackageAuth(SECRET, packageAuth('e'.repeat(64), 'h1', hash, now), hash, now)).toMatchObject({ ok: false });
    expect(checkPackageAuth(SECRET, undefined, hash, now).ok).toBe(false);
    expect(checkPackageAuth(SECRET, `Basic ${Buffer.from('a:b').toString('base64')}`, hash, now).ok).toBe(false);
  });
});

describe('--queue URLs', () => {
  it('reads redis://, rediss:// and unix://, and hides the password from the display form', () => {
    expect(parseQueueUrl('redis://:pw@10.0.0.1:6380/2')).toEqual({ display: 'redis://10.0.0.1:6380/2', redis: { host: '10.0.0.1', port: 6380, db: 2, password: 'pw', username: undefined } });
    expect(parseQueueUrl('rediss://judge.lan').redis).toMatchObject({ host: 'judge.lan', port: 6379, tls: {} });
    expect(parseQueueUrl('unix:///run/redis/redis.sock')).toMatchObject({ display: 'unix:///run/redis/redis.sock', redis: { path: '/run/redis/redis.sock' } });
  });

  it('refuses what it cannot use, saying what to write', () => {
    expect(() => parseQueueUrl('localhost:6379')).toThrow(/scheme must be redis/);
    expect(() => parseQueueUrl('nonsense')).toThrow(/not a URL/);
    expect(() => parseQueueUrl('http://x')).toThrow(/redis:\/\//);
    expect(() => parseQueueUrl('redis://x/99')).toThrow(/0\.\.15/);
  });
});
