/**
 * The contest model: configuration (demo or ICPC CCS contest package), clock, submissions rules,
 * clarifications, teams and accounts, rejudging, and the incremental scoreboard. Built on the store
 * (../store/index.ts), which it owns the rules for.
 *
 * API (all synchronous; a refusal throws ContestError {code: protocol ErrorCode, message, field?})
 *
 *   const { contest, store, created, credentials, warnings, requeued } = openContest({
 *     dataDir, contestDir?, problems: ProblemSummary[], languages?: string[], sessionTtlMs?, now? })
 *     - throws ContestConfigError {issues: [{file, line?, field?, message, hint}]} for bad contest
 *       files (message lists them all, one per line); nothing is written then.
 *     - credentials: logins judged generated on the first start (demo: admin, judge, team1..team4;
 *       contest dir: an admin if accounts.yaml has none, and a login for each team without one).
 *       Print them once; only hashes are stored.
 *     - requeued: judgings the previous process was running, queued again.
 *   contest.startClock() / stopClock() / tick()  clock events at start, freeze and end (also across restarts)
 *   contest.clock() -> ContestClock
 *   contest.submit(teamId, {problemId, language, files}) -> TeamSubmission     (contest_not_running before/after, with times)
 *   contest.rejudge(scope, {verdicts?, reason?, byUsername, autoApply?}) -> {rejudgingId, submissionCount}
 *   contest.rejudging(id) -> {rejudging, items} / decideRejudging(id, 'apply'|'cancel', byUsername) -> Rejudging
 *   contest.jurySubmission(id) -> {submission, files, judgings}
 *   contest.ask(teamId, problemId|null, text) / answer(clarId, text, 'team'|'all', byUsername) /
 *     announce(problemId|null, text, byUsername) / clarifications(viewer)
 *   contest.teams() / addTeam({teamId, name, organization, username, password}) / setTeamEnabled(teamId, enabled)
 *   contest.login(username, password) -> Promise<Session> / resume(token) -> Session / logout(token) / authenticate(u, p) -> Promise<User|null>
 *   contest.setContestTimes({startAtMs, durationMs, freezeDurationMs}) / control('startNow'|'freezeNow'|'unfreeze'|'finalize') -> ContestClock
 *   contest.scoreboard('public'|'jury') -> ScoreboardSnapshot (kept incrementally; events carry changed rows)
 *   contest.close()
 *
 * Reads the server needs beyond these come from the store directly: store.submissions.forTeam(teamId),
 * verdictsForTeam, list(filter), all(), allJudgings(); store.queueItems(); store.events.eventsSince /
 * onEvent / headSeq; and workers use store.queue (claim/heartbeat/progress/complete/fail).
 */
export { openContest, applyProblemset, demoConfig, DEMO_TEAMS, type InitialCredential, type OpenContestOptions, type OpenedContest } from './setup.ts';
export { Contest, ContestError, type ContestOptions, type SubmitInput } from './contest.ts';
export { ContestConfigError, loadContestDir, parseReltime, CONTEST_FILES, type ContestConfig, type ConfigLoad } from './config.ts';
export { contestClock, contestState, endAtMs, freezeAtMs, scoreboardFrozen } from './clock.ts';
export { ContestScoreboards } from './scoreboard.ts';
