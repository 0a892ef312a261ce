/**
 * How much slower than a real CPU the tests run: 1 on a host, 10 in the cgroup v2 guest under QEMU's
 * TCG (test/vm passes JUDGED_TIME_SCALE; KVM passes 1). Wall-clock limits and waits of the tests scale
 * with it; CPU-time limits and every containment assertion stay as they are.
 */
export const TIME_SCALE = Number(process.env.JUDGED_TIME_SCALE ?? 1) || 1;

/** A limits object with its wall-clock limit scaled by TIME_SCALE. */
export function scaleWall<T extends { wallTimeMs: number }>(limits: T): T {
  return { ...limits, wallTimeMs: limits.wallTimeMs * TIME_SCALE };
}
