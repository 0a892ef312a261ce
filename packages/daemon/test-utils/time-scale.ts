/**
 * How much slower than a real CPU the tests run: 1 on a host, 10 in the cgroup v2 guest under QEMU's
 * TCG (test/vm passes JUDGED_TIME_SCALE; KVM passes 1). Wall-clock limits of the tests scale with it,
 * and CPU-time limits where they are a budget for real work (Python starting up takes 3 s of CPU under
 * TCG); limits a test measures against (a prompt kill at 300 ms) and every containment assertion stay.
 */
export const TIME_SCALE = Number(process.env.JUDGED_TIME_SCALE ?? 1) || 1;

/** A limits object with its wall-clock limit scaled by TIME_SCALE. */
export function scaleWall<T extends { wallTimeMs: number }>(limits: T): T {
  return { ...limits, wallTimeMs: limits.wallTimeMs * TIME_SCALE };
}

/** A limits object with its wall-clock and CPU-time limits scaled by TIME_SCALE. */
export function scaleTimes<T extends { wallTimeMs: number; cpuTimeMs: number }>(limits: T): T {
  return { ...scaleWall(limits), cpuTimeMs: limits.cpuTimeMs * TIME_SCALE };
}
