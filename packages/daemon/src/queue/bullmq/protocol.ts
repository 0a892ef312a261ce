/**
 * What travels through Redis between the daemon and judgehosts, and how each side checks it.
 *
 *   queue "judgings"  daemon -> workers   one BullMQ job per judging attempt, id "<judgingId>-<attempt>"
 *   queue "results"   workers -> daemon   one job per finished attempt
 *   job progress      worker -> daemon    compiling / test k of n, as the BullMQ progress of the job
 *   hash  judgehosts  judgehost -> daemon status, one field per judgehost (JSON), refreshed every few s
 *   set   disabled    daemon -> judgehost names the jury disabled: they take no new work
 *
 * Jobs, progress and results are signed (HMAC-SHA256 with the judgehost secret over the exact body text): anyone
 * who can write to Redis but lacks the secret cannot hand the daemon a verdict or a judgehost a job.
 * The signature covers the text, so checking happens before parsing; parsing (zod) comes second.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { JudgingResultSchema, ProgressSchema } from '../../store/index.ts';

export const JOBS_QUEUE = 'judgings';
export const RESULTS_QUEUE = 'results';
/** The SQLite lease owner standing for "published to Redis" (see store/queue.ts REMOTE_OWNER_PREFIX). */
export const DISPATCH_OWNER = 'queue:redis';

export const jobIdOf = (judgingId: string, attempt: number): string => `${judgingId}-${attempt}`;

/** "<judgingId>-<attempt>" back to its parts; null for anything else. */
export function parseJobId(id: string | undefined): { judgingId: string; attempt: number } | null {
  const m = /^([1-9][0-9]{0,15})-([1-9][0-9]{0,5})$/.exec(id ?? '');
  return m ? { judgingId: m[1]!, attempt: Number(m[2]) } : null;
}

const SourceFileSchema = z.object({ name: z.string().min(1).max(255), source: z.string().max(1024 * 1024) });
const NameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a judgehost name is letters, digits, ".", "_" or "-" (at most 63)');
export { NameSchema as JudgehostNameSchema };

export const JobBodySchema = z.object({
  judgingId: z.string().regex(/^[1-9][0-9]{0,15}$/),
  submissionId: z.string().regex(/^[1-9][0-9]{0,15}$/),
  attempt: z.int().positive(),
  problemId: z.string().min(1).max(100),
  packageHash: z.string().regex(/^[0-9a-f]{64}$/),
  language: z.string().min(1).max(64),
  files: z.array(SourceFileSchema).min(1).max(100),
  /** As the daemon loaded the package: a judgehost whose copy says otherwise refuses the job. */
  limits: z.object({ timeLimitMs: z.number().positive(), memoryMiB: z.number().positive() }),
  publishedAtMs: z.int().nonnegative(),
});
export type JobBody = z.infer<typeof JobBodySchema>;

export const ResultBodySchema = z.object({
  judgingId: z.string().regex(/^[1-9][0-9]{0,15}$/),
  attempt: z.int().positive(),
  judgehost: NameSchema,
  worker: z.string().min(1).max(100),
  outcome: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('complete'), result: JudgingResultSchema }),
    z.object({ kind: z.literal('fail'), message: z.string().max(10_000) }),
  ]),
});
export type ResultBody = z.infer<typeof ResultBodySchema>;

/** Progress names its judging and attempt, so a signed progress of one job cannot be replayed on another. */
export const ProgressBodySchema = z.object({
  judgingId: z.string().regex(/^[1-9][0-9]{0,15}$/),
  attempt: z.int().positive(),
  progress: ProgressSchema,
});
export type ProgressBody = z.infer<typeof ProgressBodySchema>;

export const JudgehostStatusSchema = z.object({
  name: NameSchema,
  /** `judged doctor` at the judgehost's start: 'ok', or what failed. */
  doctor: z.string().max(500),
  workers: z.int().nonnegative(),
  busy: z.int().nonnegative(),
  current: z.array(z.string().max(100)).max(256),
  done: z.int().nonnegative(),
  errors: z.int().nonnegative(),
  startedAtMs: z.int().nonnegative(),
  seenAtMs: z.int().nonnegative(),
  draining: z.boolean(),
});
export type JudgehostStatus = z.infer<typeof JudgehostStatusSchema>;

/** A signed message as stored in a BullMQ job's data. */
export interface Signed {
  body: string;
  sig: string;
}

function mac(secret: string, purpose: string, text: string): Buffer {
  return createHmac('sha256', secret).update(purpose).update('\0').update(text).digest();
}

export type Purpose = 'job' | 'progress' | 'result';

export function sign(secret: string, purpose: Purpose, body: unknown): Signed {
  const text = JSON.stringify(body);
  return { body: text, sig: mac(secret, purpose, text).toString('hex') };
}

/** The body of a signed message if its signature holds and it parses; otherwise why not. */
export function open<T>(secret: string, purpose: Purpose, data: unknown, schema: z.ZodType<T>): { ok: true; body: T } | { ok: false; why: string } {
  const d = data as Partial<Signed> | null;
  if (!d || typeof d.body !== 'string' || typeof d.sig !== 'string' || !/^[0-9a-f]{64}$/.test(d.sig)) return { ok: false, why: 'not a signed message' };
  if (!timingSafeEqual(Buffer.from(d.sig, 'hex'), mac(secret, purpose, d.body))) return { ok: false, why: 'bad signature (not from a holder of the judgehost secret)' };
  let json: unknown;
  try {
    json = JSON.parse(d.body);
  } catch {
    return { ok: false, why: 'signed body is not JSON' };
  }
  const r = schema.safeParse(json);
  if (!r.success) return { ok: false, why: `malformed: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}` };
  return { ok: true, body: r.data };
}

/**
 * The package download's Authorization header: "Judgehost <name>:<unix ms>:<hmac>" over the hash and
 * time, so the secret itself never crosses the network and a captured header is stale within a minute.
 */
export function packageAuth(secret: string, name: string, hash: string, nowMs = Date.now()): string {
  return `Judgehost ${name}:${nowMs}:${mac(secret, 'package', `${name}:${nowMs}:${hash}`).toString('hex')}`;
}

export const PACKAGE_AUTH_WINDOW_MS = 60_000;

export function checkPackageAuth(secret: string, header: string | undefined, hash: string, nowMs = Date.now()): { ok: true; name: string } | { ok: false; why: string } {
  const m = /^Judgehost ([A-Za-z0-9][A-Za-z0-9._-]{0,62}):([0-9]{1,15}):([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return { ok: false, why: 'Authorization must be "Judgehost <name>:<ms>:<hmac>"' };
  const [, name, ms, sig] = m as unknown as [string, string, string, string];
  if (Math.abs(nowMs - Number(ms)) > PACKAGE_AUTH_WINDOW_MS) return { ok: false, why: 'stale or future timestamp (check the clocks)' };
  if (!timingSafeEqual(Buffer.from(sig, 'hex'), mac(secret, 'package', `${name}:${ms}:${hash}`))) return { ok: false, why: 'bad signature' };
  return { ok: true, name };
}
