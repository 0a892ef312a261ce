/**
 * What travels on the socket: ok, error and event frames, their parsers (which never throw: they
 * return a machine code and a message naming the field) and builders, so neither side hand-writes a
 * frame shape.
 */
import { z } from 'zod';
import { MAX_FRAME_BYTES, utf8ByteLength } from './limits.ts';
import { EpochMsSchema, SeqSchema } from './units.ts';
import { type ContestEvent, EventSchema } from './events.ts';
import { type ClientFrame, ClientFrameSchema, type RequestId, RequestIdSchema, type RequestType } from './requests.ts';
import { RESULT_SCHEMAS, type ResultOf } from './results.ts';

function okFrame<T extends RequestType>(t: T) {
  return z.object({ type: z.literal('ok'), id: RequestIdSchema, for: z.literal(t), result: RESULT_SCHEMAS[t] as (typeof RESULT_SCHEMAS)[T] });
}

export const OkFrameSchema = z.discriminatedUnion('for', [
  okFrame('hello'),
  okFrame('login'),
  okFrame('resume'),
  okFrame('logout'),
  okFrame('subscribe'),
  okFrame('clock'),
  okFrame('scoreboard'),
  okFrame('problems'),
  okFrame('statement'),
  okFrame('attachment'),
  okFrame('problemFile'),
  okFrame('languages'),
  okFrame('submit'),
  okFrame('submissions'),
  okFrame('clarifications'),
  okFrame('ask'),
  okFrame('queue'),
  okFrame('jurySubmissions'),
  okFrame('jurySubmission'),
  okFrame('rejudge'),
  okFrame('rejudgings'),
  okFrame('rejudging'),
  okFrame('decideRejudging'),
  okFrame('answer'),
  okFrame('announce'),
  okFrame('teams'),
  okFrame('setContestTimes'),
  okFrame('contestControl'),
  okFrame('addTeam'),
  okFrame('importTeams'),
  okFrame('editTeam'),
  okFrame('setTeamEnabled'),
  okFrame('setAccount'),
  okFrame('judgehosts'),
  okFrame('setJudgehostEnabled'),
  okFrame('print'),
  okFrame('printJobs'),
  okFrame('printJob'),
  okFrame('printAction'),
  okFrame('balloons'),
  okFrame('setBalloonDone'),
  okFrame('removeJudgehost'),
]);
export type OkFrame = z.infer<typeof OkFrameSchema>;

export const ERROR_CODES = [
  /** Not JSON, not an object, or no/unknown `type`. */
  'bad_frame',
  /** A known request with a field that fails validation (see `field`). */
  'bad_request',
  'frame_too_large',
  'source_too_large',
  'unsupported_version',
  /** The request needs a login first. */
  'unauthenticated',
  /** Logged in, but this role may not do that. */
  'forbidden',
  'bad_credentials',
  /** resume with an unknown, expired or revoked token: log in again. */
  'session_invalid',
  'account_disabled',
  'not_found',
  /** e.g. statement before the start, submit after the end. */
  'contest_not_running',
  'unknown_language',
  /** The request conflicts with the current state (answering an answered question, bad contest times). */
  'conflict',
  'rate_limited',
  /** A team's allowance for the contest is used up (its print pages): waiting does not help. */
  'budget_spent',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  /** null when the request's id could not be read. */
  id: RequestIdSchema.nullable(),
  code: ErrorCodeSchema,
  /** For people: says what was wrong and what to do. */
  message: z.string(),
  /** Dotted path of the offending field, e.g. "files.0.name". */
  field: z.string().optional(),
  /** With rate_limited: when to try again. */
  retryAfterMs: z.int().nonnegative().optional(),
});
export type ErrorFrame = z.infer<typeof ErrorFrameSchema>;

export const EventFrameSchema = z.object({
  type: z.literal('event'),
  seq: SeqSchema,
  atMs: EpochMsSchema,
  event: EventSchema,
});
export type EventFrame = z.infer<typeof EventFrameSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [OkFrameSchema, ErrorFrameSchema, EventFrameSchema]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

// ---------------------------------------------------------------------------------------------------
// Parsing (never throws)

export type ParseResult<T> =
  | { ok: true; frame: T }
  | { ok: false; code: ErrorCode; message: string; field?: string; id: RequestId | null };

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => String(p)).join('.');
}

/** The first zod issue as a sentence naming the field, plus its machine code. */
function describeIssues(error: z.ZodError, what: string): { code: ErrorCode; message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { code: 'bad_request', message: `invalid ${what}` };
  const field = fieldPath(issue.path);
  const params = (issue as { params?: { code?: unknown } }).params;
  const code: ErrorCode = params && params.code === 'source_too_large' ? 'source_too_large' : 'bad_request';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  const message = field ? `${what}: field '${field}': ${issue.message}${more}` : `${what}: ${issue.message}${more}`;
  return field ? { code, message, field } : { code, message };
}

function readId(obj: Record<string, unknown>): RequestId | null {
  const r = RequestIdSchema.safeParse(obj.id);
  return r.success ? r.data : null;
}

function parseJsonObject(text: string, maxBytes: number): { ok: true; obj: Record<string, unknown> } | { ok: false; code: ErrorCode; message: string } {
  if (typeof text !== 'string') return { ok: false, code: 'bad_frame', message: 'frame must be JSON text' };
  // Cheap upper bound first: each UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8ByteLength(text) > maxBytes)) {
    return { ok: false, code: 'frame_too_large', message: `frame is larger than the limit of ${maxBytes} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'bad_frame', message: `frame is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object with a "type" field' };
  }
  return { ok: true, obj: value as Record<string, unknown> };
}

const REQUEST_SCHEMA_BY_TYPE: ReadonlyMap<string, z.ZodType> = new Map(
  ClientFrameSchema.options.map((o) => [(o.shape.type as z.ZodLiteral<string>).value, o as z.ZodType]),
);
export const REQUEST_TYPES: readonly RequestType[] = [...REQUEST_SCHEMA_BY_TYPE.keys()] as RequestType[];

/** Validates one client->server frame. `id` is returned whenever it was readable, for the error reply. */
export function parseClientFrame(text: string, maxBytes = MAX_FRAME_BYTES): ParseResult<ClientFrame> {
  try {
    const j = parseJsonObject(text, maxBytes);
    if (!j.ok) return { ...j, id: null };
    const id = readId(j.obj);
    const type = j.obj.type;
    if (typeof type !== 'string') return { ok: false, code: 'bad_frame', message: "frame has no string field 'type'", field: 'type', id };
    const schema = REQUEST_SCHEMA_BY_TYPE.get(type);
    if (!schema) {
      return { ok: false, code: 'bad_frame', message: `unknown request type '${type.slice(0, 40)}'; expected one of: ${REQUEST_TYPES.join(', ')}`, field: 'type', id };
    }
    const r = schema.safeParse(j.obj);
    if (!r.success) return { ok: false, id, ...describeIssues(r.error, `request '${type}'`) };
    return { ok: true, frame: r.data as ClientFrame };
  } catch (err) {
    // zod and JSON.parse do not throw on data, but a pathological input (deep nesting) can overflow the stack.
    return { ok: false, code: 'bad_frame', message: `frame could not be read: ${(err as Error).message}`, id: null };
  }
}

/** Validates one server->client frame (clients call this on every message). */
export function parseServerFrame(text: string, maxBytes = MAX_FRAME_BYTES): ParseResult<ServerFrame> {
  try {
    const j = parseJsonObject(text, maxBytes);
    if (!j.ok) return { ...j, id: null };
    const id = readId(j.obj);
    const r = ServerFrameSchema.safeParse(j.obj);
    if (!r.success) return { ok: false, id, ...describeIssues(r.error, `server frame '${String(j.obj.type)}'`) };
    return { ok: true, frame: r.data };
  } catch (err) {
    return { ok: false, code: 'bad_frame', message: `frame could not be read: ${(err as Error).message}`, id: null };
  }
}

// ---------------------------------------------------------------------------------------------------
// Frame builders (so neither side hand-writes frame shapes)

export function okFrameOf<T extends RequestType>(id: RequestId, type: T, result: ResultOf<T>): Extract<OkFrame, { for: T }> {
  return { type: 'ok', id, for: type, result } as Extract<OkFrame, { for: T }>;
}

export function errorFrame(id: RequestId | null, code: ErrorCode, message: string, field?: string): ErrorFrame {
  const f: ErrorFrame = { type: 'error', id, code, message };
  if (field !== undefined) f.field = field;
  return f;
}

export function eventFrame(seq: number, atMs: number, event: ContestEvent): EventFrame {
  return { type: 'event', seq, atMs, event };
}
