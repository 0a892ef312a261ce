/**
 * The CCS event feed (/api/contests/{id}/event-feed): NDJSON, one `{type, id, data, token?}` object per
 * line, and a newline every keepalive interval.
 *
 * Without since_token it starts with the current state of every object the reader may see (as
 * upserts), the last of those lines carrying a token for "everything up to the log's head", then
 * follows the daemon's event log live. Every live line carries a token naming its place: (event seq,
 * index of the line among that event's lines for this reader class), sealed (feed-token.ts) so that
 * neither the public nor a team can count what is hidden from them.
 *
 * With since_token the feed sends the current awards (aggregate state, not events), then replays the
 * log from that place through the same translation as live lines (lines of one event come out the
 * same for the same reader, so the resume starts exactly after the line the token was on), then goes
 * on live. A token that does not open for this reader is 400.
 * A replay applies what the reader may see now: after a thaw it shows judgements that were hidden
 * when they happened, in their place (more than the live feed sent then, never less, as the spec allows).
 */
import type http from 'node:http';
import type { ContestClock, EventFrame, JuryJudging, JurySubmission } from '@judged/shared/protocol';
import { hiddenByFreeze, ownsTeam, type Viewer } from '@judged/shared/visibility';
import { Visibility } from './access.ts';
import { apiSubmissionId, ccsClarification, ccsContest, ccsPerson, ccsJudgement, ccsRun, ccsRunId, ccsRuns, ccsState, ccsSubmission, ccsTeam, Organizations } from './ccs.ts';
import { COLLECTIONS, judgementPoints, offered, readCollection, teamGroupIds, type CcsObject } from './collections.ts';
import type { HttpDeps } from './deps.ts';
import { readerClass, type FeedPlace, type FeedTokens } from './feed-token.ts';

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
}

/** Whether nothing is hidden by a freeze any more (it was lifted, or there is none). */
function thawedBy(clock: ContestClock): boolean {
  return !clock.scoreboardFrozen && (clock.freezeAtMs === null || clock.unfrozenAtMs != null);
}

/** How many events a replay reads from the log at a time. */
const REPLAY_PAGE = 1000;

export class EventFeed {
  private readonly subs = new Map<string, Pick<JurySubmission, 'id' | 'clientId' | 'teamId' | 'submittedAtMs'>>();
  /** Last awards sent, by id (JSON), so board changes send only the awards that changed. */
  private readonly awardsSent = new Map<string, string>();
  private readonly cls: string;
  /** Whether this reader has been sent what the freeze hid (after a thaw). */
  private thawed = false;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly deps: HttpDeps,
    private readonly viewer: Viewer,
    private readonly tokens: FeedTokens,
    private readonly res: http.ServerResponse,
    private readonly opts: FeedOptions,
    private readonly onClose: () => void,
  ) {
    this.cls = readerClass(viewer);
  }

  /** Opens a since_token for this reader; null when it is not a valid one (the caller answers 400). */
  openToken(token: string): FeedPlace | null {
    return this.tokens.open(this.cls, token);
  }

  start(since: FeedPlace | null): void {
    this.res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    for (const s of this.deps.submissions()) this.subs.set(s.id, s);
    // Subscribe before reading so nothing committed meanwhile is lost; events already covered by the
    // dump or the replay are skipped by seq.
    const queued: EventFrame[] = [];
    let catchingUp = true;
    let doneSeq: number;
    if (this.opts.stream) {
      this.unsubscribe = this.deps.subscribe((f) => {
        if (catchingUp) queued.push(f);
        else this.onEvent(f);
      });
    }
    if (since === null) doneSeq = this.dump();
    else doneSeq = this.replay(since);
    catchingUp = false;
    for (const f of queued) if (f.seq > doneSeq) this.onEvent(f);
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

  /** The current state of everything this reader may see; returns the log seq it reflects. */
  private dump(): number {
    const head = this.deps.headSeq();
    const clock = this.deps.clock();
    const vis = new Visibility(this.viewer, clock, this.deps.teams());
    this.thawed = thawedBy(clock);
    const lines: FeedLine[] = [{ type: 'contest', id: null, data: ccsContest(clock) }, { type: 'state', id: null, data: ccsState(clock) }];
    for (const name of COLLECTIONS) {
      if (!offered(name, vis)) continue;
      for (const o of readCollection(name, this.deps, vis)) {
        if (name === 'awards') this.awardsSent.set(o.id, JSON.stringify(o));
        lines.push({ type: name, id: o.id, data: o });
      }
    }
    // The state must come last once updates have ended (end_of_updates), so it is also sent last here.
    lines.push({ type: 'state', id: null, data: ccsState(clock) });
    lines.forEach((l, i) => this.send(l, i === lines.length - 1 ? { seq: head, line: Number.MAX_SAFE_INTEGER, thawed: this.thawed } : null));
    return head;
  }

  /** Replays the log after `since`, as the live feed would have sent it; returns the last seq replayed. */
  private replay(since: FeedPlace): number {
    this.thawed = since.thawed;
    // Awards are a view of the board, not events: the reader gets the current ones first, and then
    // only their changes (which depend on what was sent before, so they cannot be replayed).
    for (const l of this.changedAwards(this.visibility())) this.send(l, null);
    let at = since.seq - 1;
    for (;;) {
      const page = this.deps.eventsSince(at, REPLAY_PAGE);
      // One view per page: a replay reads current state, which does not change under it.
      const vis = this.visibility();
      for (const f of page) {
        if (this.closed) break;
        const lines = this.linesOf(f, vis, false);
        for (let i = f.seq === since.seq ? since.line + 1 : 0; i < lines.length; i++) this.send(lines[i]!, { seq: f.seq, line: i, thawed: this.thawed });
        at = f.seq;
      }
      if (page.length < REPLAY_PAGE || this.closed) return Math.max(at, since.seq);
    }
  }

  private onEvent(frame: EventFrame): void {
    if (this.closed) return;
    const lines = this.linesOf(frame, this.visibility(), true);
    for (let i = 0; i < lines.length; i++) this.send(lines[i]!, { seq: frame.seq, line: i, thawed: this.thawed });
  }

  /**
   * What one log event means for this reader, as feed lines (deterministic for the same state), then
   * with `awards` the awards that changed. A replay leaves those out: it sends the current awards
   * first, and the board it reads is the current one, so no event of it could change them.
   */
  private linesOf(frame: EventFrame, vis: Visibility, awards: boolean): FeedLine[] {
    const e = frame.event;
    const out: FeedLine[] = [];
    switch (e.kind) {
      case 'clock':
        out.push({ type: 'contest', id: null, data: ccsContest(e.clock) }, { type: 'state', id: null, data: ccsState(e.clock) });
        // A thaw makes the judgements visible that the freeze hid: send those once.
        if (!vis.isJury && !e.clock.scoreboardFrozen && !this.thawed) {
          const frozen = { scoreboardFrozen: true, freezeAtMs: e.clock.freezeAtMs };
          for (const j of this.deps.judgings()) {
            const sub = this.subs.get(j.submissionId);
            if (!sub || !vis.judgement(j, sub) || ownsTeam(this.viewer, sub.teamId) || !hiddenByFreeze(frozen, sub.submittedAtMs)) continue;
            out.push(...this.judgementLines(j, vis));
          }
        }
        this.thawed = thawedBy(e.clock);
        break;
      case 'jurySubmission':
        this.subs.set(e.submission.id, e.submission);
        if (vis.submission(e.submission)) out.push({ type: 'submissions', id: e.submission.id, data: ccsSubmission(e.submission, vis.clock.contestId) });
        break;
      case 'juryJudging': {
        const j = e.judging;
        const sub = this.subs.get(j.submissionId);
        // Runs published as their tests ended that the ended judging no longer has: deleted first.
        if (e.lostRuns && j.rejudgingId === null && vis.judgementsOf(sub)) for (const index of e.lostRuns) out.push({ type: 'runs', id: ccsRunId(j.id, index), data: null });
        if (vis.judgement(j, sub)) out.push(...this.judgementLines(j, vis));
        else if (this.wasShown(j) && vis.judgementsOf(sub)) {
          // A judgement replaced by a rejudge, or a first judging cancelled, is deleted (its runs first)
          // for whoever could see it; a rejudging's judging that never counted was never shown.
          for (const r of j.runs) out.push({ type: 'runs', id: ccsRunId(j.id, r.index), data: null });
          out.push({ type: 'judgements', id: j.id, data: null });
        }
        break;
      }
      case 'juryRun':
        // A run of a first judging as its test ends (runs of rejudgings come when they count). Runs
        // change no board, so no awards follow.
        if (e.rejudgingId === null && vis.judgementsOf(this.subs.get(e.submissionId))) {
          const at = e.run.endedAtMs ?? frame.atMs;
          out.push({ type: 'runs', id: ccsRunId(e.judgingId, e.run.index), data: ccsRun(e.judgingId, e.run, vis.clock, at) });
        }
        return out;
      case 'progress': {
        // A lost attempt's runs were dropped (the next attempt runs every test again): delete those
        // this reader was sent. Only a first judging's runs go out live, so only those are deleted.
        if (!e.lostRuns || e.judgingId === null || !vis.judgementsOf(this.subs.get(e.submissionId))) return out;
        const j = this.deps.judgings().find((x) => x.id === e.judgingId);
        if (!j || j.rejudgingId !== null) return out;
        for (const index of e.lostRuns) out.push({ type: 'runs', id: ccsRunId(e.judgingId, index), data: null });
        return out;
      }
      case 'clarification':
        if (vis.clarification(e.clarification)) out.push({ type: 'clarifications', id: e.clarification.id, data: ccsClarification(e.clarification) });
        break;
      case 'team': {
        const groups = teamGroupIds(this.deps, e.team.id);
        // A team that becomes hidden is deleted for those who saw it; of a team hidden all along (or
        // in an older log, which does not say) the others learn nothing, not even its id.
        // Its organization comes before it and its persons after it (referential integrity), or when it
        // is deleted, its persons first and its organization after (deleted unless another team has it).
        // One line each whatever the state, so a replay's lines of the event are as many as the live ones.
        const orgs = new Organizations(this.deps.organizations());
        if (vis.team(e.team)) {
          const org = e.team.organization ? orgs.render([e.team], vis.clock.contestId)[0] : undefined;
          if (org) out.push({ type: 'organizations', id: org.id, data: org });
          out.push({ type: 'teams', id: e.team.id, data: ccsTeam(e.team, groups, orgs) }, ...this.personLines(e.team.id, vis));
        } else if (e.before && vis.team(e.before)) {
          out.push(...this.personLines(e.team.id, vis), { type: 'teams', id: e.team.id, data: null });
          if (e.before.organization) {
            const id = orgs.idOf(e.before.organization);
            const still = orgs.render(this.deps.teams().filter((t) => t.id !== e.team.id && vis.team(t)), vis.clock.contestId).find((o) => o.id === id);
            out.push({ type: 'organizations', id, data: still ?? null });
          }
        }
        break;
      }
      default:
        return out;
    }
    if (awards) out.push(...this.changedAwards(vis));
    return out;
  }

  /** The persons of a team as this reader sees them now (deleted when no longer theirs to see). */
  private personLines(teamId: string, vis: Visibility): FeedLine[] {
    return this.deps.persons().flatMap((p) => {
      if (!p.teamIds.includes(teamId)) return [];
      const teams = vis.personTeams(p);
      return [{ type: 'persons', id: p.id, data: teams ? ccsPerson(p, teams, vis.personalData(), vis.clock.contestId) : null }];
    });
  }

  /** Whether a judging that does not count now was shown before (see judgingShown). */
  private wasShown(j: JuryJudging): boolean {
    return !j.valid && (j.rejudgingId === null || this.deps.rejudgingApplied(j.rejudgingId));
  }

  private judgementLines(j: JuryJudging, vis: Visibility): FeedLine[] {
    const sub = this.subs.get(j.submissionId);
    const lines: FeedLine[] = [{ type: 'judgements', id: j.id, data: ccsJudgement(j, vis.clock, judgementPoints(this.deps, vis.clock)?.(j), sub ? apiSubmissionId(sub) : j.submissionId) }];
    for (const r of ccsRuns(j, vis.clock)) lines.push({ type: 'runs', id: r.id, data: r });
    return lines;
  }

  /** Awards of the reader's own board that differ from those last sent. */
  private changedAwards(vis: Visibility): FeedLine[] {
    const out: FeedLine[] = [];
    for (const a of readCollection('awards', this.deps, vis) as CcsObject[]) {
      const text = JSON.stringify(a);
      if (this.awardsSent.get(a.id) === text) continue;
      this.awardsSent.set(a.id, text);
      out.push({ type: 'awards', id: a.id, data: a });
    }
    return out;
  }

  private send(line: FeedLine, place: FeedPlace | null): void {
    const out: FeedLine & { token?: string } = { type: line.type, id: line.id, data: line.data };
    if (place) out.token = this.tokens.seal(this.cls, place);
    this.write(JSON.stringify(out) + '\n');
  }

  private write(text: string): void {
    if (this.closed || this.res.writableEnded) return;
    if (this.res.writableLength > this.opts.maxBufferedBytes) {
      // The reader is not keeping up; it can reconnect with its last token.
      this.res.destroy();
      this.close();
      return;
    }
    this.res.write(text);
  }
}
