/**
 * `pnpm exec tsx test/vm/run.ts [--tcg|--kvm] -- <command...>`: runs the command as root in the cgroup
 * v2 guest (guest.ts) and exits with its exit code; its stdout streams, its stderr and (on failure)
 * the guest kernel's console follow.
 */
import { describeExit, runInGuest, type Accel } from './guest.ts';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const flags = dash < 0 ? [] : args.slice(0, dash);
const command = (dash < 0 ? args : args.slice(dash + 1)).join(' ');
if (!command) {
  process.stderr.write('usage: tsx test/vm/run.ts [--tcg|--kvm] -- <command...>\n');
  process.exit(2);
}
const accel: Accel | undefined = flags.includes('--tcg') ? 'tcg' : flags.includes('--kvm') ? 'kvm' : undefined;
const r = await runInGuest({ command, ...(accel ? { accel } : {}), onStdout: (c) => process.stdout.write(c) });
process.stderr.write(r.stderr);
process.stderr.write(`test/vm: ${r.accel}, ${(r.wallMs / 1000).toFixed(1)} s, ${describeExit(r.exitCode)}\n`);
if (r.faults.length > 0) process.stderr.write(`--- faults the guest kernel reported ---\n${r.faults.join('\n')}\n`);
if (r.exitCode === null) {
  process.stderr.write(`test/vm: ${r.failure}\n--- guest console (last 3000 chars) ---\n${r.console.slice(-3000)}\n`);
  process.exit(1);
}
process.exit(r.exitCode);
