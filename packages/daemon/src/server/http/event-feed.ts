/**
 * The CCS event feed (/api/contests/{id}/event-feed): NDJSON, one `{type, id, data, token?}` object per
 * line. It starts with the current state of every object the caller may see (as upserts), then
 * follows the daemon's event log live, sending a newline every keepalive interval so clients know
 * the feed is alive.
 *
 * `since_token` is accepted but the feed always begins with the full current state: every event is
 * an upsert keyed by (type, id), so repeating one is harmless, and it spares us keeping CCS history.
 * Tokens of live events are the daemon's event seq.
 */
import type http from 'node:http';
import type { EventFrame, JuryJudging, JurySubmission } from '@judged/shared/protocol';
import type { Viewer } from '@judged/shared/visibility';
import { Visibility } from './access.ts';
import {
  ccsClarification,
  ccsContest,
  ccsJudgement,
  ccsJudgementTypes,
  ccsLanguage,
  ccsOrganizations,
  ccsProblem,
  ccsRuns,
  ccsState,
  ccsSubmission,
  ccsTeam,
} from './ccs.ts';
import type { HttpDeps } from './deps.ts';

export interface FeedOptions {
  stream: boolean;
  keepaliveMs: number;
  /** A client that stops reading is cut off once this much output is queued. */
  maxBufferedBytes: number;
}

interface FeedLine {
  type: string;
  id: string | null;
  data: unknown;
  token?: string;
}

export class EventFeed {
  private readonly sentJudgements = new Set<string>();
  private readonly subs = new Map<string, Pick<JurySubmission, 'teamId' | 'submittedAtMs'>>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly deps: HttpDeps,
    private readonly viewer: Viewer,
    private readonly res: http.ServerResponse,
    private readonly opts: FeedOptions,
    private readonly onClose: () => void,
  ) {}

  start(): void {
    this.res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    // Subscribe before the dump so nothing that happens during it is lost (duplicates are harmless).
    const queued: EventFrame[] = [];
    let dumping = true;
    if (this.opts.stream) {
      this.unsubscribe = this.deps.subscribe((f) => {
        if (dumping) queued.push(f);
        else this.onEvent(f);
      });
    }
    this.dump();
    dumping = false;
    for (const f of queued) this.onEvent(f);
    if (!this.opts.stream) {
      this.close();
      return;
    }
    this.timer = setInterval(() => this.write('\n'), this.opts.keepaliveMs);
    this.res.on('close', () => this.close());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (!this.res.writableEnded) this.res.end();
    this.onClose();
  }

  private visibility(): Visibility {
    return new Visibility(this.viewer, this.deps.clock(), this.deps.teams());
  }

  private dump(): void {
    const clock = this.deps.clock();
    const vis = this.visibility();
    this.send({ type: 'contest', id: null, data: ccsContest(clock) });
    for (const jt of ccsJudgementTypes()) this.send({ type: 'judgement-types', id: jt.id, data: jt });
    for (const l of this.deps.languages()) this.send({ type: 'languages', id: l.id, data: ccsLanguage(l) });
    if (vis.problems()) this.deps.problems().forEach((p, i) => this.send({ type: 'problems', id: p.id, data: ccsProblem(p, i + 1) }));
    const teams = this.deps.teams().filter((t) => vis.team(t));
    for (const o of ccsOrganizations(teams)) this.send({ type: 'organizations', id: o.id, data: o });
    for (const t of teams) this.send({ type: 'teams', id: t.id, data: ccsTeam(t) });
    this.send({ type: 'state', id: null, data: ccsState(clock) });
    for (const s of this.deps.submissions()) {
      this.subs.set(s.id, s);
      if (vis.submission(s)) this.send({ type: 'submissions', id: s.id, data: ccsSubmission(s) });
    }
    this.sendVisibleJudgements(vis, this.deps.judgings());
    for (const c of this.deps.clarifications()) if (vis.clarification(c)) this.send({ type: 'clarifications', id: c.id, data: ccsClarification(c) });
  }

  private sendVisibleJudgements(vis: Visibility, judgings: readonly JuryJudging[], token?: string): void {
    for (const j of judgings) {
      if (this.sentJudgements.has(j.id)) continue;
      if (!vis.judgement(j, this.subs.get(j.submissionId))) continue;
      this.sendJudgement(vis, j, token);
    }
  }

  private sendJudgement(vis: Visibility, j: JuryJudging, token?: string): void {
    this.sentJudgements.add(j.id);
    this.send({ type: 'judgements', id: j.id, data: ccsJudgement(j, vis.clock), token });
    if (j.endedAtMs !== null) {
      for (const r of ccsRuns(j, vis.clock)) this.send({ type: 'runs', id: r.id, data: r, token });
    }
  }

  private onEvent(frame: EventFrame): void {
    if (this.closed) return;
    const token = String(frame.seq);
    const e = frame.event;
    switch (e.kind) {
      case 'clock': {
        const vis = this.visibility();
        this.send({ type: 'contest', id: null, data: ccsContest(e.clock), token });
        this.send({ type: 'state', id: null, data: ccsState(e.clock), token });
        // An unfreeze makes judgements visible that were hidden: send those not sent yet.
        if (!vis.isJury) this.sendVisibleJudgements(vis, this.deps.judgings(), token);
        return;
      }
      case 'jurySubmission': {
        this.subs.set(e.submission.id, e.submission);
        if (this.visibility().submission(e.submission)) this.send({ type: 'submissions', id: e.submission.id, data: ccsSubmission(e.submission), token });
        return;
      }
      case 'juryJudging': {
        const vis = this.visibility();
        if (vis.judgement(e.judging, this.subs.get(e.judging.submissionId))) this.sendJudgement(vis, e.judging, token);
        return;
      }
      case 'clarification': {
        if (this.visibility().clarification(e.clarification)) {
          this.send({ type: 'clarifications', id: e.clarification.id, data: ccsClarification(e.clarification), token });
        }
        return;
      }
      case 'team': {
        const vis = this.visibility();
        if (vis.team(e.team)) this.send({ type: 'teams', id: e.team.id, data: ccsTeam(e.team), token });
        else this.send({ type: 'teams', id: e.team.id, data: null, token });
        return;
      }
      default:
        return;
    }
  }

  private send(line: FeedLine): void {
    const out: FeedLine = { type: line.type, id: line.id, data: line.data };
    if (line.token !== undefined) out.token = line.token;
    this.write(JSON.stringify(out) + '\n');
  }

  private write(text: string): void {
    if (this.closed || this.res.writableEnded) return;
    if (this.res.writableLength > this.opts.maxBufferedBytes) {
      // The reader is not keeping up; it can reconnect and get the full state again.
      this.res.destroy();
      this.close();
      return;
    }
    this.res.write(text);
  }
}
