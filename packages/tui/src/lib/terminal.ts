/**
 * The alternate screen and its undoing. Whatever way the process leaves — q, Ctrl-C, a signal, an
 * uncaught exception — the terminal gets its main screen, cursor and cooked mode back exactly once.
 */
const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE = '\x1b[H\x1b[2J\x1b[?25h\x1b[?1049l';

export interface Fullscreen {
  /** Restore the terminal now (idempotent). */
  leave(): void;
}

export function enterFullscreen(
  stdout: NodeJS.WriteStream = process.stdout,
  stdin: NodeJS.ReadStream = process.stdin,
): Fullscreen {
  let active = true;
  stdout.write(ENTER);
  const leave = () => {
    if (!active) return;
    active = false;
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // stdin may already be destroyed during a crash; the escape codes still restore the screen
    }
    try {
      stdout.write(LEAVE);
    } catch {
      // nothing more can be done for a closed terminal
    }
    process.off('exit', leave);
    for (const sig of SIGNALS) process.off(sig, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    leave();
    process.kill(process.pid, sig);
  };
  const onCrash = (err: unknown) => {
    leave();
    process.stderr.write(`judge: crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  };
  process.on('exit', leave);
  for (const sig of SIGNALS) process.once(sig, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return { leave };
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'];
