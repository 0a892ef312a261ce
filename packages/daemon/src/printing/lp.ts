/**
 * Hands a printout to CUPS: `lp -d PRINTER -t TITLE` with the text on stdin (Debian's cups-client).
 * The command is looked up in PATH, so a test puts a fake `lp` first that records what it was sent.
 */
import { spawn } from 'node:child_process';

export type PrintResult = { ok: true } | { ok: false; error: string };

const LP_TIMEOUT_MS = 30_000;

export function sendToPrinter(printer: string, title: string, text: string): Promise<PrintResult> {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const done = (r: PrintResult) => {
      if (!settled) (settled = true), resolve(r);
    };
    const child = spawn('lp', ['-d', printer, '-t', title, '-o', 'cpi=12', '-o', 'lpi=7'], { stdio: ['pipe', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ ok: false, error: `lp did not finish within ${LP_TIMEOUT_MS / 1000} s` });
    }, LP_TIMEOUT_MS);
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ ok: false, error: err.code === 'ENOENT' ? 'lp is not installed (apt-get install cups-client)' : `lp: ${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done(code === 0 ? { ok: true } : { ok: false, error: stderr.trim().slice(0, 500) || `lp exited with status ${code}` });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(text);
  });
}
