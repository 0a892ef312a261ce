#!/usr/bin/env node
/**
 * `judged`: the contest daemon's command line. Each subcommand lives in its own module and is loaded
 * only when used, so `judged doctor` works even where the database driver or a problem is broken.
 */
import { Command } from 'commander';
import { DEFAULT_PORT } from '@judged/shared/protocol';

const program = new Command('judged')
  .description('judged: a programming contest judge for LAN contests')
  .showHelpAfterError()
  // Options after a subcommand are the subcommand's: `judged verify --languages x` and
  // `judged --languages x` each reach their own command.
  .enablePositionalOptions();

program
  .command('doctor')
  .description('check this host: root, cgroups, namespaces, compilers; print what works and what does not')
  .option('--json', 'print the checks as JSON')
  .option('--languages <file>', 'languages.yaml with the compilers and flags to check (default: the built-in languages)')
  .action(async (opts: { json?: boolean; languages?: string }) => {
    const { runDoctor } = await import('./doctor.ts');
    process.exitCode = await runDoctor(opts);
  });

program
  .command('verify')
  .description("judge every submission in each package's submissions/ folder and compare with the expected verdict")
  .argument('<package-dir...>', 'problem packages, or directories holding them')
  .option('--json', 'print one JSON array on stdout')
  .option('--languages <file>', 'languages.yaml with the compilers and flags to judge with (default: the built-in languages)')
  .option('--time-scale <factor>', 'this host runs programs <factor> times slower than the machine the limits are for: CPU and wall limits x factor, reported times / factor (default 1)')
  .action(async (dirs: string[], opts: { json?: boolean; languages?: string; timeScale?: string }) => {
    const { runVerify } = await import('./verify.ts');
    const { parseTimeScale } = await import('./sandbox/time-scale.ts');
    let timeScale = 1;
    try {
      timeScale = parseTimeScale(opts.timeScale);
    } catch (e) {
      program.error(`judged verify: ${(e as Error).message}`);
    }
    process.exitCode = await runVerify(dirs, { ...opts, timeScale });
  });

program
  .command('export')
  .description('write a CCS contest package (the Contest API as JSON, the event feed, submission zips) of the contest in --data')
  .argument('<dir>', 'new or empty directory to write the package to')
  .option('--data <dir>', 'the data dir judged ran with', './.judged')
  .option('--contest <dir>', 'the contest package it was started from (for groups.json, persons.json, logos and medal counts)')
  .option('--problems <dir>', 'the problems dir it ran with (for the PDF statements and attachments)')
  .action(async (dir: string, opts: { data?: string; contest?: string; problems?: string }) => {
    const { runExport } = await import('./export.ts');
    process.exitCode = await runExport(dir, opts);
  });

program
  .command('judgehost')
  .description("judge for a daemon on another machine: take jobs from its Redis queue, fetch its packages by hash")
  .requiredOption('--queue <url>', 'the Redis (or Valkey) the daemon was started with: redis://HOST:6379 or unix:///path.sock')
  .requiredOption('--server <url>', "the daemon's HTTP address, for problem packages: http://DAEMON:7700")
  .option('--name <name>', 'name shown to the jury (default: the hostname)')
  .option('--secret <file>', "the judgehost secret, copied from the daemon's data dir", './judgehost-secret')
  .option('--workers <n>', 'judging workers (default: cores - 1, at least 1)')
  .option('--data <dir>', 'where packages are cached and judged', './.judgehost')
  .option('--languages <file>', 'languages.yaml: the compilers and flags to judge with (default: the built-in languages)')
  .option('--time-scale <factor>', 'this machine runs programs <factor> times slower than the one the limits are for (as for the daemon; default 1)')
  .action(async (opts: { queue: string; server: string; name?: string; secret: string; workers?: string; data: string; languages?: string; timeScale?: string }) => {
    const { runJudgehost } = await import('./judgehost.ts');
    process.exitCode = await runJudgehost(opts);
    // Redis connections and timers are closed; exit even if a library left a handle open.
    process.exit();
  });

program
  .option('--problems <dir>', 'directory of problem packages')
  .option('--contest <dir>', 'ICPC CCS contest package (contest.yaml, teams.json, accounts.yaml, ...)')
  .option('--data <dir>', 'where the database and judging files live', './.judged')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port for HTTP and WebSocket', String(DEFAULT_PORT))
  .option('--workers <n>', 'judging workers (default: cores - 1, at least 1; 0 with --queue: judgehosts only)')
  .option('--tls-cert <file>', 'PEM certificate (chain): serve HTTPS and wss (with --tls-key)')
  .option('--tls-key <file>', 'PEM private key of --tls-cert')
  .option('--queue <url>', 'judge through BullMQ on Redis so judgehosts on other machines can help: redis://HOST:6379 or unix:///path.sock')
  .option('--judgehost-secret <file>', 'the secret judgehosts sign with (default: <data>/judgehost-secret, created at the first start)')
  .option('--force', "start even when a package's test data fails its own validators (each failure is logged as an error)")
  .option('--languages <file>', 'languages.yaml: the compilers and flags to judge with (default: the built-in languages)')
  .option('--time-scale <factor>', 'this host runs programs <factor> times slower than the machine the limits are for: CPU and wall limits x factor, reported times / factor (default 1)')
  .option('--printer <name>', 'CUPS destination for team printouts (lp -d NAME); without it printouts wait in the jury\'s Print queue')
  .option('--print-pages <n>', 'pages each team may print in the contest (default 50)')
  .option('--balloons-during-freeze', 'give runners balloons for runs the frozen scoreboard hides (by default they wait for the unfreeze, as in DOMjudge)')
  .action(async (opts: Record<string, string | undefined> & { force?: boolean; balloonsDuringFreeze?: boolean }) => {
    if (!opts.problems) {
      program.error('judged: --problems <dir> is required (try: judged --problems ./problems)');
    }
    const { startDaemon } = await import('./server/start.ts');
    await startDaemon(opts);
  });

await program.parseAsync(process.argv);
