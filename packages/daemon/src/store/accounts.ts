/**
 * Organizations, teams, accounts and sessions. Passwords are kept only as scrypt hashes; session
 * tokens only as SHA-256 hashes. A disabled account or a disabled team cannot log in or resume.
 */
import type Database from 'better-sqlite3';
import type { TeamInfo, User } from '@judged/shared/protocol';
import type { StoreCore } from './core.ts';
import { hashPassword, hashToken, newSessionToken, verifyPassword } from './passwords.ts';

export type AccountRole = 'team' | 'judge' | 'admin' | 'balloon';

export interface Account {
  id: number;
  username: string;
  role: AccountRole;
  teamId: string | null;
  displayName: string;
  enabled: boolean;
}

export interface NewAccount {
  username: string;
  /** Plain password (hashed here) ... */
  password?: string;
  /** ... or an already computed hash (import). */
  passwordHash?: string;
  role: AccountRole;
  teamId?: string | null;
  displayName?: string;
}

export interface NewTeam {
  id: string;
  name: string;
  organizationId?: string | null;
  enabled?: boolean;
  hidden?: boolean;
  /** Where the team sits (teams.json location.description). */
  location?: string | null;
  /** Stored groups (upsertGroup first) the team belongs to. */
  groupIds?: readonly string[];
}

/** What editTeam changes; an absent field stays as it is. */
export interface TeamChange {
  name?: string;
  organizationId?: string | null;
  location?: string | null;
  /** Replaces the team's groups. */
  groupIds?: readonly string[];
}

/** A group (groups.json) with its teams. */
export interface StoredGroup {
  id: string;
  name: string;
  teamIds: string[];
}

export interface Organization {
  id: string;
  name: string;
  formalName?: string | null;
  country?: string | null;
}

export type AuthResult = { ok: true; account: Account } | { ok: false; code: 'bad_credentials' | 'account_disabled' };

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  role: AccountRole;
  team_id: string | null;
  display_name: string;
  enabled: number;
  team_enabled: number | null;
}

interface TeamRow {
  id: string;
  name: string;
  organization_id: string | null;
  org_name: string | null;
  enabled: number;
  hidden: number;
  location: string | null;
  /** The team's group ids joined by tabs (ids hold no tabs), sorted; null for none. */
  group_ids: string | null;
}

function toAccount(r: AccountRow): Account {
  return { id: r.id, username: r.username, role: r.role, teamId: r.team_id, displayName: r.display_name, enabled: r.enabled === 1 };
}

function toTeamInfo(r: TeamRow): TeamInfo {
  return { id: r.id, name: r.name, organization: r.org_name, enabled: r.enabled === 1, hidden: r.hidden === 1, location: r.location, groupIds: r.group_ids ? r.group_ids.split('\t') : [] };
}

export function toUser(a: Account): User {
  return { username: a.username, role: a.role, teamId: a.teamId, displayName: a.displayName };
}

const ACCOUNT_SELECT = 'SELECT a.*, t.enabled AS team_enabled FROM accounts a LEFT JOIN teams t ON t.id = a.team_id';
const TEAM_SELECT = `SELECT t.*, o.name AS org_name,
  (SELECT group_concat(group_id, char(9)) FROM (SELECT group_id FROM team_groups WHERE team_id = t.id ORDER BY group_id)) AS group_ids
  FROM teams t LEFT JOIN organizations o ON o.id = t.organization_id`;

/**
 * A hash to compare against when the username is unknown, so both cases take the same time. No
 * password matches it (its hash part is not an scrypt output anyone knows); only its well-formed
 * parameters matter, which are the ones hashPassword uses.
 */
const DUMMY_HASH = `scrypt$16384$8$1$${Buffer.alloc(16, 0x5a).toString('base64url')}$${Buffer.alloc(32, 0).toString('base64url')}`;

export class AccountStore {
  private readonly st: Record<string, Database.Statement>;

  constructor(private readonly core: StoreCore) {
    const db = core.db;
    this.st = {
      byUsername: db.prepare(`${ACCOUNT_SELECT} WHERE a.username = ?`),
      byId: db.prepare(`${ACCOUNT_SELECT} WHERE a.id = ?`),
      team: db.prepare(`${TEAM_SELECT} WHERE t.id = ?`),
      teams: db.prepare(`${TEAM_SELECT} ORDER BY t.id`),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, account_id, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)'),
      session: db.prepare('SELECT account_id, expires_at_ms, revoked FROM sessions WHERE token_hash = ?'),
    };
  }

  upsertOrganization(o: Organization): void {
    this.core.tx(() => {
      this.core.db
        .prepare(
          `INSERT INTO organizations (id, name, formal_name, country) VALUES (?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, formal_name = excluded.formal_name, country = excluded.country`,
        )
        .run(o.id, o.name, o.formalName ?? null, o.country ?? null);
    });
  }

  /** Each team's login names (a team may have none, or several). */
  teamLogins(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of this.core.db.prepare("SELECT team_id, username FROM accounts WHERE role = 'team' AND team_id IS NOT NULL ORDER BY username").all() as { team_id: string; username: string }[]) {
      out.set(r.team_id, [...(out.get(r.team_id) ?? []), r.username]);
    }
    return out;
  }

  organizations(): Required<Organization>[] {
    const rows = this.core.db.prepare('SELECT id, name, formal_name, country FROM organizations ORDER BY id').all() as { id: string; name: string; formal_name: string | null; country: string | null }[];
    return rows.map((r) => ({ id: r.id, name: r.name, formalName: r.formal_name, country: r.country }));
  }

  /** Adds a team (a 'team' event for the jury). Throws when the id exists. */
  addTeam(t: NewTeam): TeamInfo {
    return this.core.tx(() => {
      this.core.db
        .prepare('INSERT INTO teams (id, name, organization_id, enabled, hidden, created_at_ms, location) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(t.id, t.name, t.organizationId ?? null, t.enabled === false ? 0 : 1, t.hidden ? 1 : 0, this.core.now(), t.location ?? null);
      this.writeTeamGroups(t.id, t.groupIds ?? []);
      const info = this.team(t.id)!;
      this.core.appendEvent({ kind: 'team', team: info, before: null });
      return info;
    });
  }

  /**
   * Changes a team's name, organization, location or groups (a 'team' event for the jury with the
   * team before the change). Undefined when there is no such team. Group ids must be stored groups.
   */
  editTeam(teamId: string, change: TeamChange): TeamInfo | undefined {
    return this.core.tx(() => {
      const before = this.team(teamId);
      if (!before) return undefined;
      const sets: string[] = [];
      const args: (string | null)[] = [];
      if (change.name !== undefined) (sets.push('name = ?'), args.push(change.name));
      if (change.organizationId !== undefined) (sets.push('organization_id = ?'), args.push(change.organizationId));
      if (change.location !== undefined) (sets.push('location = ?'), args.push(change.location));
      if (sets.length > 0) this.core.db.prepare(`UPDATE teams SET ${sets.join(', ')} WHERE id = ?`).run(...args, teamId);
      if (change.groupIds !== undefined) this.writeTeamGroups(teamId, change.groupIds, true);
      const info = this.team(teamId)!;
      this.core.appendEvent({ kind: 'team', team: info, before });
      return info;
    });
  }

  private writeTeamGroups(teamId: string, groupIds: readonly string[], replace = false): void {
    if (replace) this.core.db.prepare('DELETE FROM team_groups WHERE team_id = ?').run(teamId);
    const add = this.core.db.prepare('INSERT OR IGNORE INTO team_groups (team_id, group_id) VALUES (?, ?)');
    for (const g of groupIds) add.run(teamId, g);
  }

  /** Adds a group or renames it; its teams stay. */
  upsertGroup(g: { id: string; name: string }): void {
    this.core.tx(() => {
      this.core.db.prepare('INSERT INTO contest_groups (id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name').run(g.id, g.name);
    });
  }

  /**
   * groups.json of the contest dir at a start: groups new to the store come with the teams the dir
   * puts in them (those the store has); groups already stored keep their teams, which an admin may
   * have edited since. Returns how many groups were new.
   */
  syncGroups(groups: readonly { id: string; name: string; teamIds: readonly string[] }[]): number {
    return this.core.tx(() => {
      const known = new Set(this.groups().map((g) => g.id));
      const teams = new Set((this.core.db.prepare('SELECT id FROM teams').all() as { id: string }[]).map((r) => r.id));
      let added = 0;
      for (const g of groups) {
        this.upsertGroup(g);
        if (known.has(g.id)) continue;
        added++;
        for (const t of g.teamIds) if (teams.has(t)) this.core.db.prepare('INSERT OR IGNORE INTO team_groups (team_id, group_id) VALUES (?, ?)').run(t, g.id);
      }
      return added;
    });
  }

  /** Every stored group with its teams, by id. */
  groups(): StoredGroup[] {
    const rows = this.core.db.prepare('SELECT id, name FROM contest_groups ORDER BY id').all() as { id: string; name: string }[];
    const members = this.core.db.prepare('SELECT team_id, group_id FROM team_groups ORDER BY team_id').all() as { team_id: string; group_id: string }[];
    const byGroup = new Map(rows.map((r) => [r.id, [] as string[]]));
    for (const m of members) byGroup.get(m.group_id)?.push(m.team_id);
    return rows.map((r) => ({ id: r.id, name: r.name, teamIds: byGroup.get(r.id)! }));
  }

  setTeamEnabled(teamId: string, enabled: boolean): TeamInfo | undefined {
    return this.core.tx(() => {
      const before = this.team(teamId);
      const r = this.core.db.prepare('UPDATE teams SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, teamId);
      if (r.changes !== 1) return undefined;
      const info = this.team(teamId)!;
      this.core.appendEvent({ kind: 'team', team: info, before: before ?? null });
      return info;
    });
  }

  team(id: string): TeamInfo | undefined {
    const r = this.st.team!.get(id) as TeamRow | undefined;
    return r ? toTeamInfo(r) : undefined;
  }

  /** All teams, disabled ones included. */
  teams(): TeamInfo[] {
    return (this.st.teams!.all() as TeamRow[]).map(toTeamInfo);
  }

  /** Teams that play on the scoreboard: enabled and not hidden. */
  scoreboardTeams(): TeamInfo[] {
    return (this.st.teams!.all() as TeamRow[]).filter((r) => r.enabled === 1 && r.hidden === 0).map(toTeamInfo);
  }

  /** Where the team sits, null when teams.json did not say. */
  location(teamId: string): string | null {
    return this.team(teamId)?.location ?? null;
  }

  isHidden(teamId: string): boolean {
    const r = this.st.team!.get(teamId) as TeamRow | undefined;
    return r ? r.hidden === 1 : false;
  }

  addAccount(a: NewAccount): Account {
    if (!a.password && !a.passwordHash) throw new Error(`account ${a.username}: a password or password hash is needed`);
    const hash = a.passwordHash ?? hashPassword(a.password!);
    return this.core.tx(() => {
      const info = this.core.db
        .prepare('INSERT INTO accounts (username, password_hash, role, team_id, display_name, enabled, created_at_ms) VALUES (?, ?, ?, ?, ?, 1, ?)')
        .run(a.username, hash, a.role, a.role === 'team' ? (a.teamId ?? null) : null, a.displayName ?? a.username, this.core.now());
      return this.account(Number(info.lastInsertRowid))!;
    });
  }

  setAccountEnabled(username: string, enabled: boolean): boolean {
    return this.core.tx(() => this.core.db.prepare('UPDATE accounts SET enabled = ? WHERE username = ?').run(enabled ? 1 : 0, username).changes === 1);
  }

  /** A new password, or its hash made beforehand off the event loop (hashPasswordAsync); ends the account's sessions. */
  setPassword(username: string, secret: { password: string } | { passwordHash: string }): boolean {
    const hash = 'passwordHash' in secret ? secret.passwordHash : hashPassword(secret.password);
    return this.core.tx(() => {
      const r = this.core.db.prepare('UPDATE accounts SET password_hash = ? WHERE username = ?').run(hash, username);
      // A new password ends the old sessions.
      this.core.db.prepare('UPDATE sessions SET revoked = 1 WHERE account_id = (SELECT id FROM accounts WHERE username = ?)').run(username);
      return r.changes === 1;
    });
  }

  account(id: number): Account | undefined {
    const r = this.st.byId!.get(id) as AccountRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  accountByUsername(username: string): Account | undefined {
    const r = this.st.byUsername!.get(username) as AccountRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  accounts(): Account[] {
    return (this.core.db.prepare(`${ACCOUNT_SELECT} ORDER BY a.id`).all() as AccountRow[]).map(toAccount);
  }

  /**
   * Checks a password (scrypt, 50-250 ms on the thread pool, so the event loop keeps running; still
   * call it behind the server's login rate limit).
   */
  async authenticate(username: string, password: string): Promise<AuthResult> {
    const r = this.st.byUsername!.get(username) as AccountRow | undefined;
    if (!r) {
      await verifyPassword(password, DUMMY_HASH);
      return { ok: false, code: 'bad_credentials' };
    }
    if (!(await verifyPassword(password, r.password_hash))) return { ok: false, code: 'bad_credentials' };
    // The account may have been disabled, deleted or given a new password while scrypt ran.
    const now = this.st.byId!.get(r.id) as AccountRow | undefined;
    if (!now || now.password_hash !== r.password_hash) return { ok: false, code: 'bad_credentials' };
    if (now.enabled !== 1 || now.team_enabled === 0) return { ok: false, code: 'account_disabled' };
    return { ok: true, account: toAccount(now) };
  }

  /** A new resumable session; only the token's hash is stored. */
  createSession(accountId: number, ttlMs: number): { token: string; expiresAtMs: number } {
    const token = newSessionToken();
    const now = this.core.now();
    const expiresAtMs = now + ttlMs;
    this.core.tx(() => this.st.insertSession!.run(hashToken(token), accountId, now, expiresAtMs));
    return { token, expiresAtMs };
  }

  /** The account behind a token, or why not: unknown/expired/revoked (session_invalid) or disabled. */
  resumeSession(token: string): { ok: true; account: Account; expiresAtMs: number } | { ok: false; code: 'session_invalid' | 'account_disabled' } {
    if (typeof token !== 'string' || token.length < 16 || token.length > 512) return { ok: false, code: 'session_invalid' };
    const s = this.st.session!.get(hashToken(token)) as { account_id: number; expires_at_ms: number; revoked: number } | undefined;
    if (!s || s.revoked === 1 || s.expires_at_ms <= this.core.now()) return { ok: false, code: 'session_invalid' };
    const r = this.st.byId!.get(s.account_id) as AccountRow | undefined;
    if (!r) return { ok: false, code: 'session_invalid' };
    if (r.enabled !== 1 || r.team_enabled === 0) return { ok: false, code: 'account_disabled' };
    return { ok: true, account: toAccount(r), expiresAtMs: s.expires_at_ms };
  }

  /** Forgets expired and revoked sessions (at start); returns how many. */
  pruneSessions(): number {
    return this.core.tx(() => this.core.db.prepare('DELETE FROM sessions WHERE revoked = 1 OR expires_at_ms <= ?').run(this.core.now()).changes);
  }

  revokeSession(token: string): void {
    this.core.tx(() => this.core.db.prepare('UPDATE sessions SET revoked = 1 WHERE token_hash = ?').run(hashToken(token)));
  }
}
