/**
 * One running judged-sandbox process: starts it with execa, hands it one request at a time and reads
 * its one-line answers. It knows nothing of run semantics (index.ts does); it turns every way the
 * process can fail — refusing to start, dying, hanging — into a SandboxError.
 */
import { execa, type ResultPromise } from 'execa';
import { SandboxError } from './types.ts';

export interface SupervisorConfig {
  binary: string;
  args: string[];
}

export interface ReadyInfo {
  cgroup: number;
  uid: number;
  interactorUid: number;
  notes: string;
}

export class SupervisorProcess {
  private readonly child: ResultPromise<{ stdin: 'pipe'; stdout: 'pipe'; stderr: 'pipe'; buffer: false; reject: false }>;
  private buf = '';
  private readonly lines: string[] = [];
  private waiter: { resolve: (l: string) => void; reject: (e: Error) => void } | null = null;
  private stderrTail = '';
  private exitError: SandboxError | null = null;
  private killed = false;
  readonly exited: Promise<void>;

  private constructor(cfg: SupervisorConfig) {
    this.child = execa(cfg.binary, cfg.args, {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      // The supervisor must outlive no daemon: execa kills it when Node exits.
      cleanup: true,
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    // A write to a dead supervisor surfaces through `exited`; the stream error itself is expected.
    this.child.stdin.on('error', () => {});
    this.exited = this.child.then((r) => {
      const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${String(r.exitCode)}`;
      const tail = this.stderrTail.trim();
      this.exitError = new SandboxError(
        `sandbox supervisor ${how}${tail ? `: ${tail}` : ''}`,
        'crash',
      );
      this.waiter?.reject(this.exitError);
      this.waiter = null;
    });
  }

  /** Starts a supervisor and waits for its ready line; a refusal becomes SandboxError('startup'). */
  static async start(cfg: SupervisorConfig, timeoutMs = 15_000): Promise<{ proc: SupervisorProcess; ready: ReadyInfo }> {
    const proc = new SupervisorProcess(cfg);
    let line: string;
    try {
      line = await proc.nextLine(timeoutMs);
    } catch (e) {
      proc.kill();
      if (e instanceof SandboxError) throw new SandboxError(`cannot start the sandbox: ${e.message}`, 'startup');
      throw e;
    }
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      proc.kill();
      throw new SandboxError(`sandbox supervisor printed a malformed ready line: ${line.slice(0, 200)}`, 'startup');
    }
    if (o.ok !== true || o.ready !== true) {
      await proc.exited;
      throw new SandboxError(`sandbox refused to start: ${String(o.error ?? line)}`, o.kind === 'busy' ? 'busy' : 'startup');
    }
    return {
      proc,
      ready: {
        cgroup: Number(o.cgroup),
        uid: Number(o.uid),
        interactorUid: Number(o.interactorUid),
        notes: typeof o.notes === 'string' ? o.notes : '',
      },
    };
  }

  /** False once it exited or was killed (it may take a moment to be gone: await `exited`). */
  get alive(): boolean {
    return this.exitError === null && !this.killed;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(line);
      } else {
        this.lines.push(line);
      }
    }
  }

  private nextLine(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        // A supervisor that does not answer in time is broken: kill it so the next run restarts it.
        this.kill();
        reject(new SandboxError(`sandbox supervisor did not answer within ${timeoutMs} ms; restarted`, 'crash'));
      }, timeoutMs);
      this.waiter = {
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** Sends one request and returns its answer line. Callers serialise requests. */
  async request(payload: string, timeoutMs: number): Promise<string> {
    if (this.exitError) throw this.exitError;
    if (this.killed) throw new SandboxError('sandbox supervisor was killed', 'crash');
    const answer = this.nextLine(timeoutMs);
    this.child.stdin.write(payload);
    return answer;
  }

  kill(): void {
    if (this.exitError) return;
    this.killed = true;
    this.child.kill('SIGKILL');
  }

  /** Ends the supervisor by closing its input (it cleans its cgroups up), SIGKILL after a grace. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.exitError) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
