/** CPU pinning of judging workers: each worker's runs on a CPU of its own, so times do not depend on the neighbours. */

/**
 * The CPU worker i runs its submissions on, with n CPUs: counted down from the last one, so that while
 * there are fewer workers than CPUs, CPU 0 stays free for the daemon itself (and the kernel's own work,
 * which favours CPU 0). With more workers than CPUs they wrap around and share.
 */
export function workerCpu(worker: number, cpuCount: number): number {
  if (!Number.isInteger(worker) || worker < 0) throw new RangeError(`worker index must be an integer >= 0, got ${worker}`);
  if (!Number.isInteger(cpuCount) || cpuCount < 1) throw new RangeError(`cpu count must be an integer >= 1, got ${cpuCount}`);
  return (((cpuCount - 1 - worker) % cpuCount) + cpuCount) % cpuCount;
}

/** Whether workers are pinned: JUDGED_NO_PIN=1 (or true/yes) turns it off. */
export function pinningEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.JUDGED_NO_PIN ?? '').trim().toLowerCase();
  return !(v === '1' || v === 'true' || v === 'yes');
}
