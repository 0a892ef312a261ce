import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORT } from '@judged/shared/protocol';

/**
 * Where the client finds its server, user and stored session. Precedence for server and user:
 * command-line flag, then JUDGE_SERVER / JUDGE_USER, then the config file. The session file holds
 * the token from the last successful login and is written 0600 because it logs the team in.
 */
export const SessionFile = z.object({
  server: z.string().optional(),
  user: z.string().optional(),
  token: z.string().optional(),
  savedAt: z.string().optional(),
});
export type SessionFile = z.infer<typeof SessionFile>;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUDGE_CONFIG_DIR) return env.JUDGE_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
    ? env.XDG_CONFIG_HOME
    : path.join(env.HOME ?? os.homedir(), '.config');
  return path.join(base, 'judge');
}

export function sessionPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'session.json');
}

export function readSession(env: NodeJS.ProcessEnv = process.env): SessionFile {
  const file = sessionPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = SessionFile.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: a corrupt file is reported and ignored, the next login rewrites it
  }
  process.stderr.write(`judge: ignoring ${file}: not a valid session file (it is rewritten on the next login)\n`);
  return {};
}

export function writeSession(data: SessionFile, env: NodeJS.ProcessEnv = process.env): void {
  const file = sessionPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...data, savedAt: new Date().toISOString() }, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function clearSessionToken(env: NodeJS.ProcessEnv = process.env): void {
  const cur = readSession(env);
  if (cur.token === undefined) return;
  delete cur.token;
  writeSession(cur, env);
}

export { DEFAULT_PORT };

/** "host:port", "host", "ws://host:port" or "ws://host:port/ws" → the WebSocket URL of the daemon. */
export function serverUrl(server: string): string {
  let s = server.trim();
  if (!/^wss?:\/\//.test(s)) {
    if (s.startsWith('http://')) s = 'ws://' + s.slice(7);
    else if (s.startsWith('https://')) s = 'wss://' + s.slice(8);
    else s = 'ws://' + s;
  }
  const u = new URL(s);
  if (!u.port) u.port = String(DEFAULT_PORT);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/ws';
  return u.toString();
}

export interface Target {
  server: string;
  url: string;
  user: string | undefined;
  /** Where the user came from, for error messages. */
  userFrom: 'flag' | 'env' | 'config' | 'none';
  /** A stored token for exactly this server and user, if any. */
  token: string | undefined;
  password: string | undefined;
}

export function resolveTarget(
  flags: { server?: string; user?: string },
  env: NodeJS.ProcessEnv = process.env,
): Target {
  const stored = readSession(env);
  const server = flags.server ?? env.JUDGE_SERVER ?? stored.server ?? `localhost:${DEFAULT_PORT}`;
  const user = flags.user ?? env.JUDGE_USER ?? stored.user;
  const userFrom = flags.user ? 'flag' : env.JUDGE_USER ? 'env' : stored.user ? 'config' : 'none';
  const url = serverUrl(server);
  const sameSession = stored.server !== undefined && serverUrl(stored.server) === url && stored.user === user;
  return {
    server,
    url,
    user,
    userFrom,
    token: sameSession ? stored.token : undefined,
    password: env.JUDGE_PASSWORD || undefined,
  };
}
