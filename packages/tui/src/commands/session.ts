import { JudgeClient, RequestError, type Auth, type ClientHandlers } from '../client.ts';
import { clearSessionToken, resolveTarget, writeSession, type Target } from '../lib/config.ts';
import { CliError, describeRequestError } from './output.ts';

export interface GlobalOpts {
  server?: string;
  user?: string;
  json?: boolean;
}

/** Read a line from the terminal without echo (for passwords). Only called when stdin is a TTY. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    // Ink unrefs stdin when it unmounts (a prompt after the full-screen client, e.g. to log in again).
    stdin.ref();
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new CliError('cancelled', 130, 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export function promptLine(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(question);
    process.stdin.resume();
    process.stdin.setEncoding('utf8');
    process.stdin.once('data', (d: string) => {
      process.stdin.pause();
      resolve(d.split(/\r?\n/)[0]!.trim());
    });
  });
}

/**
 * The credentials to log in with: the stored session for this server and user, JUDGE_PASSWORD, or a
 * prompt when there is a terminal. Without any of them a script gets a clear error, never a hang.
 */
export async function credentials(target: Target, interactive: boolean): Promise<Auth> {
  let user = target.user;
  if (target.token && !target.password) return { kind: 'token', token: target.token, ...(user ? { username: user } : {}) };
  if (!user) {
    if (!interactive) throw new CliError('no user name: pass --user NAME or set JUDGE_USER');
    user = await promptLine(`user name for ${target.server}: `);
    if (!user) throw new CliError('no user name given');
  }
  let password = target.password;
  if (!password) {
    if (!interactive) {
      throw new CliError(`no password for ${user}: set JUDGE_PASSWORD, or run \`judge\` in a terminal once to log in and store the session`);
    }
    password = await promptHidden(`password for ${user}@${target.server}: `);
    if (!password) throw new CliError('no password given');
  }
  if (target.token) return { kind: 'token', token: target.token, username: user, password };
  return { kind: 'password', username: user, password };
}

/** Connect and log in once (no reconnect) for a scripted subcommand; stores the session. */
export async function connect(
  opts: GlobalOpts,
  extra: { subscribe?: boolean; handlers?: ClientHandlers; reconnect?: boolean; sinceSeq?: () => number | null } = {},
): Promise<{ client: JudgeClient; target: Target }> {
  const target = resolveTarget(opts);
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const auth = await credentials(target, interactive);
  const client = new JudgeClient({
    url: target.url,
    auth,
    subscribe: extra.subscribe ?? false,
    reconnect: extra.reconnect ?? false,
    ...(extra.sinceSeq ? { sinceSeq: extra.sinceSeq } : {}),
    handlers: {
      ...extra.handlers,
      onSession: (s) => {
        saveSession(target, s.user.username, s.token);
        extra.handlers?.onSession?.(s);
      },
    },
  });
  try {
    await client.ready();
  } catch (err) {
    client.close();
    if (err instanceof RequestError) {
      // A dead stored token is dropped, so the next interactive run asks for the password.
      if (err.code === 'session_invalid' && auth.kind === 'token') clearSessionToken();
      if (err.code === 'disconnected') throw new CliError(`cannot reach the judge server at ${target.url}: ${err.message}. Is it running? Check --server or JUDGE_SERVER.`, 2, 'unreachable');
      throw new CliError(describeRequestError(err), 2, err.code);
    }
    throw err;
  }
  return { client, target };
}

export function saveSession(target: Target, username: string, token: string): void {
  try {
    writeSession({ server: target.server, user: username, token });
  } catch (err) {
    process.stderr.write(`judge: could not store the session: ${(err as Error).message}\n`);
  }
}
