#!/usr/bin/env node
/**
 * `judge`: the contestant's and jury's client. No subcommand opens the full-screen client; the
 * subcommands are for scripts and print one JSON value with --json. Exit codes: 0 success (for
 * `submit --wait`: accepted), 1 a judged rejection, 2 usage, login or connection errors.
 */
// React's development build costs several times more per frame; users get the production one.
process.env.NODE_ENV ??= 'production';
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, reportError } from './commands/output.ts';
import type { GlobalOpts } from './commands/session.ts';

const program = new Command();
program
  .name('judge')
  .description('Client for the judged contest server: full-screen when run without a command.')
  .option('-s, --server <host:port>', 'server as HOST:PORT or ws://HOST:PORT (env JUDGE_SERVER)')
  .option('-u, --user <name>', 'user name (env JUDGE_USER; password from JUDGE_PASSWORD or a prompt)')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) })
  .showHelpAfterError('(run judge --help for usage)');

function globals(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals<GlobalOpts>();
}

let exitCode = 0;
const run = (fn: (...args: never[]) => Promise<number>) =>
  async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    try {
      exitCode = await (fn as (...a: unknown[]) => Promise<number>)(...args);
    } catch (err) {
      exitCode = reportError(err, Boolean(globals(cmd).json));
    }
  };

const json = () => new Option('--json', 'print one JSON value on stdout');

program.action(
  run(async (_o: unknown, cmd: Command) => {
    // Ink draws only the last frame when the environment says CI (it reads CI when first imported).
    // The full-screen client runs only on a terminal a person watches, so that guess is wrong here.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    return (await import('./commands/fullscreen.tsx')).cmdFullscreen(globals(cmd));
  }),
);

program
  .command('submit')
  .description('submit a solution; with --wait, follow it to the verdict (exit 0 only on AC)')
  .argument('<problem>', 'problem label or id, e.g. A')
  .argument('<file>', 'source file')
  .option('-l, --lang <language>', 'language id or name (default: from the file extension)')
  .option('-w, --wait', 'wait for the verdict')
  .option('--timeout <seconds>', 'give up waiting after this long', '600')
  .addOption(json())
  .action(run(async (problem: string, file: string, _o: unknown, cmd: Command) => (await import('./commands/submit.ts')).cmdSubmit(globals(cmd), problem, file)));

program
  .command('status')
  .description('your submissions, or one submission in detail')
  .argument('[id]', 'submission id')
  .addOption(json())
  .action(run(async (id: string | undefined, _o: unknown, cmd: Command) => (await import('./commands/read.ts')).cmdStatus(globals(cmd), id)));

program
  .command('scoreboard')
  .description('the scoreboard')
  .addOption(json())
  .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/read.ts')).cmdScoreboard(globals(cmd))));

program
  .command('problems')
  .description('the problem list with limits')
  .addOption(json())
  .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/read.ts')).cmdProblems(globals(cmd))));

program
  .command('statement')
  .description("a problem's statement, rendered for the terminal")
  .argument('<problem>', 'problem label or id')
  .option('--pdf', "save the problem's PDF statement instead (default file: <label>.pdf here)")
  .option('-o, --output <file>', 'with --pdf: write the PDF here')
  .addOption(json())
  .action(
    run(async (problem: string, o: { pdf?: boolean; output?: string }, cmd: Command) => {
      if (o.output !== undefined && !o.pdf) throw new CliError('-o/--output is for the PDF: judge statement A --pdf -o FILE');
      return o.pdf ? (await import('./commands/problem-files.ts')).cmdStatementPdf(globals(cmd), problem, o.output) : (await import('./commands/read.ts')).cmdStatement(globals(cmd), problem);
    }),
  );

program
  .command('samples')
  .description("unpack a problem's sample files into ./<label>/ (never overwrites a changed file)")
  .argument('<problem>', 'problem label or id')
  .addOption(json())
  .action(run(async (problem: string, _o: unknown, cmd: Command) => (await import('./commands/problem-files.ts')).cmdSamples(globals(cmd), problem)));

const clar = program.command('clar').description('clarifications: list, ask');
clar
  .command('list')
  .description('answers, announcements and your questions')
  .addOption(json())
  .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/read.ts')).cmdClarList(globals(cmd))));
clar
  .command('ask')
  .description('ask the jury a question')
  .option('-p, --problem <problem>', 'about this problem (default: general)')
  .argument('<text...>', 'the question')
  .addOption(json())
  .action(run(async (words: string[], _o: unknown, cmd: Command) => (await import('./commands/read.ts')).cmdClarAsk(globals(cmd) as GlobalOpts & { problem?: string }, words)));

program
  .command('print')
  .description('print a text file (your source): the organizers bring the printout')
  .argument('<file>', 'the text file')
  .addOption(json())
  .action(run(async (file: string, _o: unknown, cmd: Command) => (await import('./commands/print.ts')).cmdPrint(globals(cmd), file)));

program
  .command('test')
  .description("compile and run a solution on the problem's samples on this machine (no sandbox)")
  .argument('<problem>', 'problem label or id')
  .argument('<file>', 'source file')
  .option('-l, --lang <language>', 'language id (default: from the file extension)')
  .option('--float-tolerance <eps>', 'accept numbers within this absolute or relative error')
  .addOption(json())
  .action(run(async (problem: string, file: string, _o: unknown, cmd: Command) => (await import('./commands/test.ts')).cmdTest(globals(cmd), problem, file)));

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; everything else commander rejects is a usage error
      exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : EXIT.usage;
    } else {
      exitCode = reportError(err instanceof Error ? err : new CliError(String(err)), process.argv.includes('--json'));
    }
  }
  // Let stdout drain before leaving: scripts read the whole JSON value.
  process.stdout.write('', () => process.exit(exitCode));
}

void main();
