/**
 * Clarifications: questions from teams, answers (to the asking team or to all), announcements. Each
 * write appends a 'clarification' event whose audience is the jury plus the teams the message is for
 * (canSeeClarification in @judged/shared/visibility is the same rule for reads).
 */
import type { Clarification } from '@judged/shared/protocol';
import { canSeeClarification, type Viewer } from '@judged/shared/visibility';
import type { StoreCore } from './core.ts';

interface ClarRow {
  id: number;
  kind: Clarification['kind'];
  from_team_id: string | null;
  to_team_id: string | null;
  problem_id: string | null;
  reply_to_id: number | null;
  quoted_question: string | null;
  text: string;
  created_at_ms: number;
  contest_time_ms: number;
  answered: number;
}

function toClar(r: ClarRow): Clarification {
  return {
    id: String(r.id),
    kind: r.kind,
    fromTeamId: r.from_team_id,
    toTeamId: r.to_team_id,
    problemId: r.problem_id,
    replyToId: r.reply_to_id === null ? null : String(r.reply_to_id),
    quotedQuestion: r.quoted_question,
    text: r.text,
    createdAtMs: r.created_at_ms,
    contestTimeMs: r.contest_time_ms,
    answered: r.answered === 1,
  };
}

export class ClarificationError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export class ClarificationStore {
  constructor(private readonly core: StoreCore) {}

  private insert(c: Omit<ClarRow, 'id' | 'created_at_ms'>, byUsername: string | null): Clarification {
    const info = this.core.db
      .prepare(
        `INSERT INTO clarifications (kind, from_team_id, to_team_id, problem_id, reply_to_id, quoted_question, text, created_at_ms, contest_time_ms, answered, by_username)
         VALUES (@kind, @from_team_id, @to_team_id, @problem_id, @reply_to_id, @quoted_question, @text, @created_at_ms, @contest_time_ms, @answered, @by)`,
      )
      .run({ ...c, created_at_ms: this.core.now(), by: byUsername });
    const clar = this.get(String(info.lastInsertRowid))!;
    this.announce(clar);
    return clar;
  }

  private announce(c: Clarification): void {
    const teamId = c.kind === 'question' ? c.fromTeamId : c.toTeamId;
    this.core.appendEvent({ kind: 'clarification', clarification: c }, { roles: ['team', 'judge', 'admin'], teamId });
  }

  ask(teamId: string, problemId: string | null, text: string, contestTimeMs: number): Clarification {
    return this.core.tx(() =>
      this.insert(
        { kind: 'question', from_team_id: teamId, to_team_id: null, problem_id: problemId, reply_to_id: null, quoted_question: null, text, contest_time_ms: contestTimeMs, answered: 0 },
        null,
      ),
    );
  }

  /** Answers a question, to the asking team only or to every team (the question is quoted then). */
  answer(questionId: string, text: string, to: 'team' | 'all', byUsername: string, contestTimeMs: number): Clarification {
    return this.core.tx(() => {
      const q = this.get(questionId);
      if (!q || q.kind !== 'question') throw new ClarificationError('not_found', `no question with id ${questionId}`);
      if (q.answered) throw new ClarificationError('conflict', `question ${questionId} is already answered`);
      this.core.db.prepare('UPDATE clarifications SET answered = 1 WHERE id = ?').run(Number(questionId));
      this.announce(this.get(questionId)!);
      return this.insert(
        {
          kind: 'answer',
          from_team_id: null,
          to_team_id: to === 'team' ? q.fromTeamId : null,
          problem_id: q.problemId,
          reply_to_id: Number(q.id),
          quoted_question: q.text,
          text,
          contest_time_ms: contestTimeMs,
          answered: 0,
        },
        byUsername,
      );
    });
  }

  announcement(problemId: string | null, text: string, byUsername: string, contestTimeMs: number): Clarification {
    return this.core.tx(() =>
      this.insert(
        { kind: 'announcement', from_team_id: null, to_team_id: null, problem_id: problemId, reply_to_id: null, quoted_question: null, text, contest_time_ms: contestTimeMs, answered: 0 },
        byUsername,
      ),
    );
  }

  get(id: string): Clarification | undefined {
    const r = this.core.db.prepare('SELECT * FROM clarifications WHERE id = ?').get(Number(id)) as ClarRow | undefined;
    return r ? toClar(r) : undefined;
  }

  /** All clarifications (jury view), oldest first. */
  all(): Clarification[] {
    return (this.core.db.prepare('SELECT * FROM clarifications ORDER BY id').all() as ClarRow[]).map(toClar);
  }

  /** What one viewer may read, oldest first. */
  visibleTo(viewer: Viewer): Clarification[] {
    return this.all().filter((c) => canSeeClarification(viewer, c));
  }
}
