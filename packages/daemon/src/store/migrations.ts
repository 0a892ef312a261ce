/**
 * Schema migrations: an ordered list, each applied once inside its own transaction together with its
 * row in schema_version, so a crash leaves the database at one version or the next, never between.
 * Never edit a migration that has shipped; append a new one.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /**
   * The migration rebuilds a table others refer to (SQLite's way to change a CHECK): foreign keys are
   * off while it runs, as SQLite's ALTER TABLE page prescribes, and checked before it commits.
   */
  rebuildsTables?: boolean;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up(db) {
      db.exec(`
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Exactly one contest per data dir.
CREATE TABLE contest (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  contest_id TEXT NOT NULL,
  name TEXT NOT NULL,
  start_at_ms INTEGER,
  duration_ms INTEGER NOT NULL CHECK (duration_ms > 0),
  freeze_duration_ms INTEGER CHECK (freeze_duration_ms IS NULL OR freeze_duration_ms BETWEEN 0 AND duration_ms),
  penalty_time_min INTEGER NOT NULL CHECK (penalty_time_min >= 0),
  unfrozen_at_ms INTEGER,
  finalized_at_ms INTEGER,
  -- The last clock state a 'clock' event was written for, so a restart does not repeat it.
  announced_state TEXT,
  source TEXT NOT NULL,
  source_digest TEXT,
  created_at_ms INTEGER NOT NULL
);

-- What the problem loader gave us, so submissions keep pointing at something after a reload.
CREATE TABLE problems (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  name TEXT NOT NULL,
  colour TEXT,
  ordinal INTEGER NOT NULL,
  time_limit_ms INTEGER,
  test_count INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  loaded_at_ms INTEGER NOT NULL
);

CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  formal_name TEXT,
  country TEXT
);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  organization_id TEXT REFERENCES organizations(id),
  enabled INTEGER NOT NULL DEFAULT 1,
  hidden INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('team', 'judge', 'admin')),
  team_id TEXT REFERENCES teams(id),
  display_name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at_ms INTEGER NOT NULL,
  CHECK ((role = 'team') = (team_id IS NOT NULL))
);

-- Resumable logins; only a hash of the token is kept, so a copied database grants nothing.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  problem_id TEXT NOT NULL REFERENCES problems(id),
  language TEXT NOT NULL,
  -- JSON [{name, source}]
  files TEXT NOT NULL,
  -- JSON [name, ...]: lists need the names without parsing every source
  file_names TEXT NOT NULL,
  submitted_at_ms INTEGER NOT NULL,
  contest_time_ms INTEGER NOT NULL
);
CREATE INDEX submissions_team ON submissions(team_id);
CREATE INDEX submissions_problem ON submissions(problem_id);

CREATE TABLE rejudgings (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  verdicts TEXT,
  reason TEXT,
  by_username TEXT NOT NULL,
  submission_count INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL
);

-- Several per submission: a rejudge adds one and keeps the old. At most one is valid.
CREATE TABLE judgings (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  rejudging_id INTEGER REFERENCES rejudgings(id),
  valid INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('queued', 'compiling', 'running', 'done', 'cancelled')),
  created_at_ms INTEGER NOT NULL,
  started_at_ms INTEGER,
  ended_at_ms INTEGER,
  verdict TEXT CHECK (verdict IS NULL OR verdict IN ('AC', 'WA', 'TLE', 'MLE', 'RTE', 'OLE', 'CE', 'JE')),
  max_time_ms INTEGER,
  max_memory_kib INTEGER,
  compile_output TEXT,
  judge_error TEXT,
  worker TEXT,
  test_index INTEGER,
  test_count INTEGER,
  tests_passed INTEGER
);
CREATE INDEX judgings_submission ON judgings(submission_id);
CREATE UNIQUE INDEX judgings_one_valid ON judgings(submission_id) WHERE valid = 1;

CREATE TABLE runs (
  judging_id INTEGER NOT NULL REFERENCES judgings(id),
  idx INTEGER NOT NULL CHECK (idx >= 1),
  test_name TEXT NOT NULL,
  sample INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  wall_time_ms INTEGER NOT NULL,
  memory_kib INTEGER NOT NULL,
  exit_code INTEGER,
  signal TEXT,
  judge_message TEXT,
  stdout_excerpt TEXT,
  stderr_excerpt TEXT,
  -- Sample tests only: what the team is shown.
  input TEXT,
  expected TEXT,
  got TEXT,
  got_truncated INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (judging_id, idx)
) WITHOUT ROWID;

-- The judging queue: one job per judging. Larger priority first, then oldest.
CREATE TABLE jobs (
  judging_id INTEGER PRIMARY KEY REFERENCES judgings(id),
  state TEXT NOT NULL CHECK (state IN ('queued', 'claimed', 'done')),
  priority INTEGER NOT NULL DEFAULT 0,
  enqueued_at_ms INTEGER NOT NULL,
  lease_owner TEXT,
  lease_ms INTEGER,
  lease_expires_at_ms INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_claim ON jobs(state, priority DESC, enqueued_at_ms, judging_id);

CREATE TABLE clarifications (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('question', 'answer', 'announcement')),
  from_team_id TEXT REFERENCES teams(id),
  to_team_id TEXT REFERENCES teams(id),
  problem_id TEXT REFERENCES problems(id),
  reply_to_id INTEGER REFERENCES clarifications(id),
  quoted_question TEXT,
  text TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  contest_time_ms INTEGER NOT NULL,
  answered INTEGER NOT NULL DEFAULT 0,
  by_username TEXT
);

-- Append-only. audience is a bit mask of roles (public 1, team 2, judge 4, admin 8); team_id, when
-- set, narrows the team role to that one team.
-- The filter columns come before the payload so a replay skips other viewers' payload pages.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  audience INTEGER NOT NULL CHECK (audience > 0),
  team_id TEXT,
  payload TEXT NOT NULL
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
`);
    },
  },
  {
    version: 2,
    name: 'team feedback on test runs',
    up(db) {
      db.exec(`
-- The output validator's teammessage.txt, and whether the team sees the test in full (a secret test
-- with full_feedback keeps its input, expected and got like a sample).
ALTER TABLE runs ADD COLUMN team_message TEXT;
ALTER TABLE runs ADD COLUMN full_feedback INTEGER NOT NULL DEFAULT 0;
`);
    },
  },
  {
    version: 3,
    name: 'event numbers per reader class',
    up(db) {
      // Each reader class counts only the events it may see (store/core.ts, "Reader numbers"): the
      // public (pub_no), the jury (jury_no), and teams, whose number is shared_no + own_no (events to
      // every team, and the team's own). team_seq is that sum stored on the own rows.
      db.exec(`
ALTER TABLE events ADD COLUMN pub_no INTEGER;
ALTER TABLE events ADD COLUMN jury_no INTEGER;
ALTER TABLE events ADD COLUMN shared_no INTEGER;
ALTER TABLE events ADD COLUMN own_no INTEGER;
ALTER TABLE events ADD COLUMN team_seq INTEGER;
DROP TRIGGER events_append_only_update;
`);
      const rows = db.prepare('SELECT seq, audience, team_id FROM events ORDER BY seq').all() as { seq: number; audience: number; team_id: string | null }[];
      const set = db.prepare('UPDATE events SET pub_no = ?, jury_no = ?, shared_no = ?, own_no = ?, team_seq = ? WHERE seq = ?');
      let pub = 0;
      let jury = 0;
      let shared = 0;
      const own = new Map<string, number>();
      for (const r of rows) {
        const p = r.audience & 1 ? ++pub : null;
        const j = r.audience & 12 ? ++jury : null;
        const team = (r.audience & 2) !== 0;
        const s = team && r.team_id === null ? ++shared : null;
        let o: number | null = null;
        if (team && r.team_id !== null) {
          o = (own.get(r.team_id) ?? 0) + 1;
          own.set(r.team_id, o);
        }
        set.run(p, j, s, o, o === null ? null : shared + o, r.seq);
      }
      db.exec(`
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE UNIQUE INDEX events_pub_no ON events(pub_no);
CREATE UNIQUE INDEX events_jury_no ON events(jury_no);
CREATE UNIQUE INDEX events_shared_no ON events(shared_no);
CREATE UNIQUE INDEX events_team_own ON events(team_id, own_no);
CREATE UNIQUE INDEX events_team_seq ON events(team_id, team_seq);
`);
    },
  },
  {
    version: 4,
    name: 'rejudging review',
    up(db) {
      // Rejudgings made before review existed took effect at once: they count as applied.
      db.exec(`
ALTER TABLE rejudgings ADD COLUMN state TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('pending', 'applied', 'cancelled'));
ALTER TABLE rejudgings ADD COLUMN decided_at_ms INTEGER;
ALTER TABLE rejudgings ADD COLUMN decided_by TEXT;
-- The judging that counted when the rejudging began: what the jury compares the new verdict with.
ALTER TABLE judgings ADD COLUMN previous_judging_id INTEGER REFERENCES judgings(id);
CREATE INDEX judgings_rejudging ON judgings(rejudging_id) WHERE rejudging_id IS NOT NULL;
`);
    },
  },
  {
    version: 5,
    name: 'scores of scoring problems',
    up(db) {
      db.exec(`
-- Scoring problems: the judging's score (NULL: none, or not a scoring problem), its maximum (NULL:
-- unbounded) and the JSON JudgingScore with each subtask and the first rejection; each test's score.
ALTER TABLE judgings ADD COLUMN score REAL;
ALTER TABLE judgings ADD COLUMN max_score REAL;
ALTER TABLE judgings ADD COLUMN score_detail TEXT;
ALTER TABLE runs ADD COLUMN score REAL;
-- JSON ProblemScoring (full marks, subtasks) of a scoring problem; NULL for pass-fail.
ALTER TABLE problems ADD COLUMN scoring TEXT;
-- JSON ScoreboardRules from contest.yaml (scoreboard_type ...); NULL: pass-fail (ICPC).
ALTER TABLE contest ADD COLUMN scoreboard TEXT;
`);
    },
  },
  {
    version: 6,
    name: 'run end times and the judging entry point',
    up(db) {
      db.exec(`
-- When each test run ended (runs are written as each test finishes, before the judging ends);
-- NULL in judgings of older data dirs, whose runs were written at the end.
ALTER TABLE runs ADD COLUMN ended_at_ms INTEGER;
-- What the judge ran: Java's main class as found in the compiled classes; NULL when the language
-- names none or nothing compiled.
ALTER TABLE judgings ADD COLUMN entry_point TEXT;
`);
    },
  },
  {
    version: 7,
    name: 'printouts, balloons, team locations and balloon runner accounts',
    rebuildsTables: true,
    up(db) {
      // accounts.role's CHECK cannot be altered in place: the table is rebuilt with 'balloon' allowed
      // (sessions refer to accounts by name and id, both kept).
      db.exec(`
CREATE TABLE accounts_new (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('team', 'judge', 'admin', 'balloon')),
  team_id TEXT REFERENCES teams(id),
  display_name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at_ms INTEGER NOT NULL,
  CHECK ((role = 'team') = (team_id IS NOT NULL))
);
INSERT INTO accounts_new SELECT id, username, password_hash, role, team_id, display_name, enabled, created_at_ms FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;

-- Where the team sits (teams.json location.description), for printouts and balloons.
ALTER TABLE teams ADD COLUMN location TEXT;

CREATE TABLE print_jobs (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  file_name TEXT NOT NULL,
  -- The file as the team sent it; the header and page numbers are added when it is printed or read.
  text TEXT NOT NULL,
  pages INTEGER NOT NULL CHECK (pages > 0),
  state TEXT NOT NULL CHECK (state IN ('queued', 'printed', 'failed')),
  error TEXT,
  done INTEGER NOT NULL DEFAULT 0,
  print_count INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  printed_at_ms INTEGER
);
CREATE INDEX print_jobs_team ON print_jobs(team_id);

-- Delivered balloons; the balloons themselves are the first AC per team and problem (computed).
CREATE TABLE balloons_done (
  team_id TEXT NOT NULL REFERENCES teams(id),
  problem_id TEXT NOT NULL REFERENCES problems(id),
  done_by TEXT NOT NULL,
  done_at_ms INTEGER NOT NULL,
  PRIMARY KEY (team_id, problem_id)
);
`);
    },
  },
  {
    version: 8,
    name: 'submission ids given by a Contest API client',
    up(db) {
      db.exec(`
-- A Contest API PUT names its own submission id (a proxy or shadow CCS with its own numbering). A
-- positive integer becomes the row id itself; any other id is kept here, the API's id of the row.
ALTER TABLE submissions ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX submissions_client_id ON submissions(client_id) WHERE client_id IS NOT NULL;
`);
    },
  },
  {
    version: 9,
    name: 'groups and team membership',
    up(db) {
      db.exec(`
-- groups.json (sites, divisions), stored so an admin's edit of a team's groups outlives a restart.
-- A data dir made before this version gets its groups from the contest dir at the next start.
CREATE TABLE contest_groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE team_groups (
  team_id TEXT NOT NULL REFERENCES teams(id),
  group_id TEXT NOT NULL REFERENCES contest_groups(id),
  PRIMARY KEY (team_id, group_id)
);
CREATE INDEX team_groups_group ON team_groups(group_id);
`);
    },
  },
  {
    version: 10,
    name: 'balloon runners read their own events',
    up(db) {
      // Runners were public readers; now they are a class of their own (store/core.ts, "Reader
      // numbers"), which reads every public event and the balloon events meant for runners. The log's
      // public events so far become theirs too (audience bit 16), numbered in order by balloon_no, so
      // a runner that resumes from a public number of before the upgrade lands on the same event.
      db.exec(`
ALTER TABLE events ADD COLUMN balloon_no INTEGER;
DROP TRIGGER events_append_only_update;
UPDATE events SET audience = audience | 16, balloon_no = pub_no WHERE (audience & 1) != 0;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE UNIQUE INDEX events_balloon_no ON events(balloon_no);
`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
