/**
 * A terminal for end-to-end tests: a tmux server on its own socket (never the user's), one window per
 * client, keys sent with send-keys and the screen read with capture-pane, as a person would see it.
 */
import { execFileSync } from 'node:child_process';

export class Tmux {
  readonly socket = `judge-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Start `command` (a shell line) in a new window `name` of the given size. */
  open(name: string, command: string, columns: number, rows: number, env: Record<string, string> = {}): void {
    const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}; `).join('');
    const line = `${exports}${command}; echo "[exit $?]"; sleep 600`;
    try {
      this.tmux(['has-session', '-t', 'e2e']);
      this.tmux(['new-window', '-t', 'e2e', '-n', name, line]);
    } catch {
      this.tmux(['new-session', '-d', '-s', 'e2e', '-n', name, '-x', String(columns), '-y', String(rows), line]);
    }
    this.resize(name, columns, rows);
  }

  resize(name: string, columns: number, rows: number): void {
    this.tmux(['resize-window', '-t', `e2e:${name}`, '-x', String(columns), '-y', String(rows)]);
  }

  /** Keys by tmux name (Enter, Tab, Escape, Down) or literal text with {literal: true}. */
  send(name: string, keys: string[], opts: { literal?: boolean } = {}): void {
    this.tmux(['send-keys', '-t', `e2e:${name}`, ...(opts.literal ? ['-l'] : []), ...keys]);
  }

  screen(name: string): string {
    return this.tmux(['capture-pane', '-p', '-t', `e2e:${name}`]);
  }

  /** The screen with its escape sequences (colours, and anything else a program wrote that tmux kept). */
  screenWithEscapes(name: string): string {
    return this.tmux(['capture-pane', '-p', '-e', '-t', `e2e:${name}`]);
  }

  /** A global server option, e.g. set-clipboard on (programs inside may then create paste buffers). */
  setOption(option: string, value: string): void {
    this.tmux(['set-option', '-g', option, value]);
  }

  /** The paste buffers (what an OSC 52 clipboard write creates), one line each; '' when none. */
  buffers(): string {
    return this.tmux(['list-buffers']);
  }

  deleteBuffers(): void {
    while (this.buffers().trim()) this.tmux(['delete-buffer']);
  }

  /** The pane's title (OSC 0 / OSC 2 set it) and the window name. */
  titles(name: string): string {
    return this.tmux(['display-message', '-p', '-t', `e2e:${name}`, '#{pane_title}|#{window_name}']).trim();
  }

  /** Wait until the screen matches; the error shows the last screen. */
  async waitFor(name: string, re: RegExp, timeoutMs = 30_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = this.screen(name);
      if (re.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${re} in window ${name}; the screen was:\n${last}`);
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
