/**
 * The Contest API's view of a contest in a store (HttpDeps without budgets and metrics), and what it
 * may change (ApiActions, with the WebSocket requests' budgets and checks). The daemon mounts these;
 * `judged export` reads a data dir through the same reads.
 */
import { eventFrame, type ProblemSummary } from '@judged/shared/protocol';
import { ContestError, type Contest } from '../contest/index.ts';
import { wireLanguage, type Language } from '../languages/index.ts';
import { toUser, type Store } from '../store/index.ts';
import type { Budgets } from './budgets.ts';
import type { ApiActions, ApiGroup, ApiImage, ApiLanguage, ApiPerson, ApiProblemFile, HttpDeps, MedalCounts } from './http/deps.ts';
import type { Logger } from './log.ts';

export interface ApiReadsInput {
  contest: Contest;
  store: Store;
  problems: () => ProblemSummary[];
  languages: readonly Language[];
  /** The groups with their teams, read at each request (an admin's team edit changes them). */
  groups: () => readonly ApiGroup[];
  medals: MedalCounts | null;
  /** persons.json and the organizations' logos of the contest dir (read at start, like groups). */
  persons: readonly ApiPerson[];
  logos: Readonly<Record<string, readonly ApiImage[]>>;
  /** A problem's statements and attachments from its package; absent: none (an export without packages). */
  problemFiles?: HttpDeps['problemFiles'];
  feedTokenKey: Buffer;
}

const NO_FILES = { statement: [] as ApiProblemFile[], attachments: [] as ApiProblemFile[] };

/** A language's commands as the API shows them (command and its arguments). */
export function apiLanguage(l: Language): ApiLanguage {
  const command = (argv: readonly string[] | undefined) => (argv && argv.length > 0 ? { command: argv[0]!, args: argv.slice(1).join(' ') } : undefined);
  const out: ApiLanguage = wireLanguage(l);
  const compiler = command(l.compile);
  if (compiler) out.compiler = compiler;
  const runner = command(l.run);
  if (runner) out.runner = runner;
  return out;
}

export function contestApiReads(d: ApiReadsInput): Omit<HttpDeps, 'budgets' | 'metrics' | 'actions'> {
  const languages = d.languages.map(apiLanguage);
  return {
    authenticate: (u, p) => d.contest.authenticate(u, p),
    sessionUser(token) {
      try {
        return d.contest.resume(token).user;
      } catch {
        return null;
      }
    },
    clock: () => d.contest.clock(),
    problems: d.problems,
    languages: () => languages,
    teams: () => d.contest.teams(),
    submissions: () => d.store.submissions.all(),
    judgings: () => d.store.submissions.allJudgings(),
    rejudgingApplied: (id) => d.store.rejudgings.get(id)?.state === 'applied',
    clarifications: () => d.store.clarifications.all(),
    submissionFiles: (id) => d.store.submissions.files(id),
    groups: () => [...d.groups()],
    organizations: () => d.store.accounts.organizations().map((o) => ({ id: o.id, name: o.name, formalName: o.formalName, country: o.country, logos: d.logos[o.id] ?? [] })),
    persons: () => [...d.persons],
    problemFiles: d.problemFiles ?? (() => NO_FILES),
    medals: () => d.medals,
    accounts: () => d.store.accounts.accounts().map(toUser),
    eventsSince: (since, limit) => d.store.events.allEventsSince(since, limit).map((e) => eventFrame(e.seq, e.atMs, e.event)),
    feedTokenKey: d.feedTokenKey,
    scoreboard: (view) => d.contest.scoreboard(view),
    subscribe: (listener) => d.store.events.onEvent((e) => listener(eventFrame(e.seq, e.atMs, e.event))),
    headSeq: () => d.store.events.headSeq(),
  };
}

export function contestApiActions(d: { contest: Contest; store: Store; budgets: Budgets; log: Logger; wake: () => void }): ApiActions {
  return {
    async submit(teamId, input, atMs, id) {
      d.budgets.takeTeam('submissions', teamId);
      const s = await d.contest.submitBatched(teamId, input, atMs, id === undefined ? {} : { id });
      d.log.info('submission', { team: teamId, submission: s.id, problem: s.problemId, language: s.language, via: 'api' });
      d.wake();
      return d.store.submissions.jurySubmission(s.id)!;
    },
    ask(teamId, problemId, text) {
      d.budgets.takeTeam('clarifications', teamId);
      return d.contest.ask(teamId, problemId, text);
    },
    juryClarification(m) {
      d.budgets.takeJury(m.byUsername);
      if (m.replyToId === null) return d.contest.announce(m.problemId, m.text, m.byUsername);
      const q = d.store.clarifications.all().find((c) => c.id === m.replyToId);
      if (q && m.toTeamId !== null && q.fromTeamId !== m.toTeamId) {
        throw new ContestError('bad_request', `clarification ${m.replyToId} is from ${q.fromTeamId ?? 'the jury'}, not from ${m.toTeamId}: a reply goes to the asker or to everybody`, 'to_team_id');
      }
      return d.contest.answer(m.replyToId, m.text, m.toTeamId === null ? 'all' : 'team', m.byUsername);
    },
    setStartTime(startAtMs) {
      // The freeze length is the stored setting (contest.yaml's scoreboard_freeze_duration): before a
      // start is scheduled there is no freeze time to derive it from.
      const s = d.store.settings.get();
      if (!s) throw new ContestError('conflict', 'no contest in the database');
      return d.contest.setContestTimes({ startAtMs, durationMs: s.durationMs, freezeDurationMs: s.freezeDurationMs });
    },
    thaw: () => d.contest.control('unfreeze'),
  };
}
