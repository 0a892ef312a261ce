/**
 * The wire format between this driver and the C supervisor (native/src/supervisor.c).
 * Requests: NUL-terminated "key=value" fields, ended by an empty field — argv and paths may hold any
 * byte but NUL, so nothing needs escaping. Responses: one JSON line each, checked here field by field
 * because a supervisor bug must surface as a SandboxError, not as a malformed verdict.
 */
import path from 'node:path';
import { SandboxError, type LimitHit, type RunRequest, type RunResult } from './types.ts';

/** A RunResult plus the supervisor's monotonic end time, used to order interactive sides. */
export interface WireResult extends RunResult {
  endNs: number;
}

function bad(field: string, what: string): never {
  throw new SandboxError(`RunRequest.${field}: ${what}`, 'request');
}

function checkText(field: string, value: unknown): string {
  if (typeof value !== 'string') bad(field, 'must be a string');
  if (value.includes('\0')) bad(field, 'must not contain NUL bytes');
  return value;
}

function checkAbs(field: string, value: unknown): string {
  const s = checkText(field, value);
  if (!path.isAbsolute(s)) bad(field, `must be an absolute path, got '${s}'`);
  return s;
}

function checkCount(field: string, value: unknown, optional = false): number | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    bad(field, `must be a positive number, got ${String(value)}`);
  return Math.ceil(value);
}

/** Checks a RunRequest and encodes it as one part of a request. */
export function encodePart(req: RunRequest, label: string): string[] {
  if (!Array.isArray(req.argv) || req.argv.length === 0) bad(`${label}.argv`, 'must be a non-empty array');
  const fields: string[] = ['part='];
  req.argv.forEach((a, i) => fields.push(`arg=${checkText(`${label}.argv[${i}]`, a)}`));
  for (const [k, v] of Object.entries(req.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) bad(`${label}.env`, `invalid variable name '${k}'`);
    fields.push(`env=${k}=${checkText(`${label}.env.${k}`, v)}`);
  }
  fields.push(`work=${checkAbs(`${label}.workDir`, req.workDir)}`);
  if (req.stdinPath !== undefined) fields.push(`stdin=${checkAbs(`${label}.stdinPath`, req.stdinPath)}`);
  if (req.stdoutPath !== undefined) fields.push(`stdout=${checkAbs(`${label}.stdoutPath`, req.stdoutPath)}`);
  if (req.stderrPath !== undefined) fields.push(`stderr=${checkAbs(`${label}.stderrPath`, req.stderrPath)}`);
  const l = req.limits;
  if (!l || typeof l !== 'object') bad(`${label}.limits`, 'is required');
  fields.push(`cpu_ms=${checkCount(`${label}.limits.cpuTimeMs`, l.cpuTimeMs)}`);
  fields.push(`wall_ms=${checkCount(`${label}.limits.wallTimeMs`, l.wallTimeMs)}`);
  fields.push(`mem_kib=${checkCount(`${label}.limits.memoryKiB`, l.memoryKiB)}`);
  fields.push(`procs=${checkCount(`${label}.limits.processes`, l.processes)}`);
  fields.push(`out_kib=${checkCount(`${label}.limits.outputKiB`, l.outputKiB)}`);
  const stack = checkCount(`${label}.limits.stackKiB`, l.stackKiB, true);
  if (stack !== undefined) fields.push(`stack_kib=${stack}`);
  const nofile = checkCount(`${label}.limits.openFiles`, l.openFiles, true);
  if (nofile !== undefined) fields.push(`nofile=${nofile}`);
  if (req.box !== undefined) {
    const kib = checkCount(`${label}.box.sizeKiB`, req.box.sizeKiB, true);
    if (kib !== undefined) fields.push(`box_kib=${kib}`);
    const inodes = checkCount(`${label}.box.inodes`, req.box.inodes, true);
    if (inodes !== undefined) fields.push(`box_inodes=${inodes}`);
  }
  if (req.copyOut === 'all') fields.push('out_all=1');
  else if (req.copyOut !== undefined) {
    if (!Array.isArray(req.copyOut)) bad(`${label}.copyOut`, "must be 'all' or an array of relative paths");
    req.copyOut.forEach((f, i) => {
      const rel = checkText(`${label}.copyOut[${i}]`, f);
      if (rel === '' || path.posix.isAbsolute(rel) || path.posix.normalize(rel) !== rel || rel.startsWith('../') || rel === '..' || rel.endsWith('/'))
        bad(`${label}.copyOut[${i}]`, `must be a normalised relative file path below /box, got '${rel}'`);
      fields.push(`out=${rel}`);
    });
  }
  (req.binds ?? []).forEach((b, i) => {
    const host = checkAbs(`${label}.binds[${i}].host`, b.host);
    const inside = checkAbs(`${label}.binds[${i}].inside`, b.inside);
    if (path.posix.normalize(inside) !== inside || inside === '/')
      bad(`${label}.binds[${i}].inside`, `must be a normalised path below /, got '${inside}'`);
    fields.push(`bind_host=${host}`, `bind_inside=${inside}`, `bind_rw=${b.writable ? 1 : 0}`);
  });
  return fields;
}

export function encodeRequest(op: 'run' | 'interactive' | 'ping', parts: string[][]): string {
  return [`op=${op}`, ...parts.flat()].map((f) => f + '\0').join('') + '\0';
}

const LIMITS: ReadonlySet<string> = new Set(['time', 'wall', 'memory', 'output', 'processes']);

function num(o: Record<string, unknown>, k: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SandboxError(`supervisor result: field ${k} is not a number`, 'sandbox');
  return v;
}

function numOrNull(o: Record<string, unknown>, k: string): number | null {
  return o[k] === null ? null : num(o, k);
}

export function parseResult(raw: unknown): WireResult {
  if (!raw || typeof raw !== 'object') throw new SandboxError('supervisor result is not an object', 'sandbox');
  const o = raw as Record<string, unknown>;
  const limit = o.limitHit;
  if (limit !== null && (typeof limit !== 'string' || !LIMITS.has(limit)))
    throw new SandboxError(`supervisor result: unknown limitHit ${String(limit)}`, 'sandbox');
  const notes = Array.isArray(o.notes) ? o.notes.filter((n): n is string => typeof n === 'string' && n !== '') : [];
  const result: WireResult = {
    exitCode: numOrNull(o, 'exitCode'),
    signal: numOrNull(o, 'signal'),
    cpuTimeMs: num(o, 'cpuTimeMs'),
    wallTimeMs: num(o, 'wallTimeMs'),
    memoryKiB: num(o, 'memoryKiB'),
    limitHit: limit as LimitHit,
    outputBytes: num(o, 'outputBytes'),
    endNs: num(o, 'endNs'),
  };
  if (notes.length) result.notes = notes;
  return result;
}

/** Turns one response line into results, or throws the SandboxError it carries. */
export function parseResponse(line: string, expected: number): WireResult[] {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new SandboxError(`supervisor sent a malformed line: ${line.slice(0, 200)}`, 'sandbox');
  }
  if (o.ok !== true) {
    const kind = o.kind === 'exec' || o.kind === 'startup' ? o.kind : o.kind === 'protocol' ? 'request' : 'sandbox';
    throw new SandboxError(String(o.error ?? 'supervisor failed without a message'), kind);
  }
  if (!Array.isArray(o.results) || o.results.length !== expected)
    throw new SandboxError(`supervisor answered with ${String((o.results as unknown[] | undefined)?.length)} results, expected ${expected}`, 'sandbox');
  return o.results.map(parseResult);
}

export function stripWire(r: WireResult): RunResult {
  const { endNs: _endNs, ...rest } = r;
  return rest;
}
