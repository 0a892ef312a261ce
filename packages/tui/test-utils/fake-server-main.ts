/**
 * Runs the protocol fake server on a port for trying the client by hand and for the tmux tests that
 * do not need the real daemon: `tsx packages/tui/test-utils/fake-server-main.ts --port 7999 [--before 60]`.
 * Submissions are judged after a short delay: a file name containing "wrong" gets WA, "ce" CE, else AC.
 */
import { FakeServer } from './fake-server.ts';
import { fakeServerOptions } from './fixtures.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const before = arg('--before');
const server = new FakeServer(
  fakeServerOptions({ teams: Number(arg('--teams') ?? 300), ...(before ? { state: 'before' as const, startInMs: Number(before) * 1000 } : {}) }),
);
const port = Number(arg('--port') ?? 7999);
const addr = await server.start(port);
process.stdout.write(`fake judge server on ${addr}; logins: team1/secret1, team2/secret2, jury/jurypass\n`);
let seen = 0;
setInterval(() => {
  while (seen < server.submissions.length) {
    const s = server.submissions[seen++]!;
    const name = s.fileNames.join(' ');
    setTimeout(() => server.judge(s.id, /wrong/.test(name) ? 'WA' : /ce/.test(name) ? 'CE' : 'AC', { tests: 8 }), 1500);
  }
  if (before && server.clock.state === 'before' && server.clock.startAtMs !== null && Date.now() >= server.clock.startAtMs) {
    server.setClock({ ...server.clock, state: 'running', serverTimeMs: Date.now() });
  }
}, 200);
