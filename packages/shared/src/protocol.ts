/**
 * The judged wire protocol, version 1: the single source of truth for the daemon and every client.
 *
 * Theory of operation
 * - Frames are JSON text messages over a WebSocket at /ws, each at most MAX_FRAME_BYTES.
 * - Client -> server: requests `{id, type, ...}`. Every request is answered exactly once, by
 *   `{type:'ok', id, for: <request type>, result}` or `{type:'error', id, code, message, field?}`.
 *   Requests on one connection may be pipelined; answers carry the request's id.
 * - Server -> client: `{type:'event', seq, atMs, event}`. Every change in the contest is one entry in
 *   one event log with a global, increasing sequence number. Each connection sees only the events its
 *   role may see, so a client sees gaps in `seq`: that is normal. A client that reconnects sends
 *   `subscribe {sinceSeq: last seq it saw}` and gets either the events it missed (replay) or, when it
 *   is too far behind, a fresh snapshot of everything it may see.
 * - The first request on a connection is `hello` (protocol version check). Without login a connection
 *   has the role `public`: clock, scoreboard (frozen view) and subscribe. `login` or `resume` upgrades it.
 * - Units are in field names: ...Ms (milliseconds), ...AtMs (Unix epoch milliseconds), contestTimeMs
 *   (milliseconds since contest start), ...KiB, ...Bytes, ...Min (minutes).
 * - Team-facing types never carry another team's data or hidden test data; the Jury* types do.
 *
 * parseClientFrame / parseServerFrame never throw: they return a discriminated result with a machine
 * code and a message naming the field.
 *
 * The parts, one per kind: protocol/limits.ts (version, port, sizes), protocol/entities.ts (what the
 * messages talk about), protocol/events.ts (the event log and the snapshot), protocol/requests.ts
 * (client -> server), protocol/results.ts (each request's answer), protocol/frames.ts (what is on the
 * socket: frames, parsing, builders). Import them from here only.
 */
export * from './protocol/limits.ts';
export * from './protocol/entities.ts';
export * from './protocol/events.ts';
export * from './protocol/requests.ts';
export * from './protocol/results.ts';
export * from './protocol/frames.ts';
// The building blocks from problem.ts and verdict.ts, so that a client needs only this module.
export { IdSchema, FileNameSchema, ColourSchema, ProblemInfoSchema, ProblemSummarySchema } from './problem.ts';
export type { ProblemInfo, ProblemSummary, Sample, Attachment } from './problem.ts';
export { VerdictSchema } from './verdict.ts';
