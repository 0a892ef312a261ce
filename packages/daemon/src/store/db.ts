/**
 * Opens the daemon's SQLite database and brings its schema up to date.
 *
 * Durability: WAL with synchronous=FULL. In WAL mode NORMAL only loses the last commits on power loss
 * or an OS crash (not on a daemon crash), but a submission the team was told is accepted must survive
 * a pulled plug too, so every commit is fsynced. Many writes per second stay cheap because each
 * commit is one append to the WAL plus one fsync (measured in docs/store.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.ts';

export const DB_FILE = 'judged.sqlite';

export interface OpenOptions {
  /** Wait this long for another connection's write lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** `target` is a data dir (the file judged.sqlite inside it) or a path ending in .sqlite/.db, or ':memory:'. */
export function dbPath(target: string): string {
  if (target === ':memory:' || /\.(sqlite|sqlite3|db)$/.test(target)) return target;
  return path.join(target, DB_FILE);
}

export function openDatabase(target: string, opts: OpenOptions = {}): Database.Database {
  const file = dbPath(target);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The version the database is at (0 for an empty database). */
export function schemaVersion(db: Database.Database): number {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!has) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Applies every migration newer than the database, each in its own IMMEDIATE transaction (so two
 * daemons started on one data dir cannot both apply it). Refuses a database newer than this program.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, now = Date.now): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)');
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const current = schemaVersion(db);
  if (current > known) {
    throw new Error(
      `the database is at schema version ${current}, newer than this judged knows (${known}): run a newer judged, or use another --data dir`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    const apply = db.transaction(() => {
      const done = db.prepare('SELECT 1 FROM schema_version WHERE version = ?').get(m.version);
      if (done) return false;
      m.up(db);
      if (m.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error(`migration ${m.version} (${m.name}) left rows pointing at nothing`);
      db.prepare('INSERT INTO schema_version (version, name, applied_at_ms) VALUES (?, ?, ?)').run(m.version, m.name, now());
      return true;
    });
    // The pragma is a no-op inside a transaction, so it is switched around it.
    const fk = m.rebuildsTables ? (db.pragma('foreign_keys', { simple: true }) as number) : 0;
    if (fk) db.pragma('foreign_keys = OFF');
    try {
      if (apply.immediate()) applied.push(m.version);
    } finally {
      if (fk) db.pragma('foreign_keys = ON');
    }
  }
  return applied;
}
