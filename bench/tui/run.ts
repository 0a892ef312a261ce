/**
 * Client latency benchmark: keystroke-to-screen (300 teams, 200 submissions) and
 * verdict-sent-to-verdict-shown, medians and p95. Run: tsx bench/tui/run.ts [--rounds N]
 * The measuring code is bench/tui/latency.ts; it mounts the App through packages/tui/test-utils
 * (React and Ink resolve from the tui package only).
 */
// What users run: React's production build (cli.ts sets the same).
process.env.NODE_ENV ??= 'production';
const { runLatencyBench } = await import('./latency.ts');

const i = process.argv.indexOf('--rounds');
const rounds = i >= 0 ? Number(process.argv[i + 1]) || 200 : 200;
const result = await runLatencyBench(rounds);
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
process.exit(0);
