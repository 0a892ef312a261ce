import { defineConfig } from 'vitest/config';

// Slow-down of the CPU the tests run on: the cgroup v2 guest under QEMU's TCG passes 10 (test/vm).
const scale = Number(process.env.JUDGED_TIME_SCALE ?? 1) || 1;
const inGuest = Boolean(process.env.JUDGED_VM_GUEST);
const VM = 'test/vm/*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000 * scale,
    hookTimeout: 120_000 * scale,
    // Two cores on the reference machine: more forks only add timing noise to sandbox runs.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'host',
          include: ['packages/*/src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          // Inside the cgroup v2 guest the guest's suites run (test/vm/inside among them), never the guest again.
          exclude: ['**/node_modules/**', VM],
        },
      },
      // The guest takes both cores under TCG: it runs after every host suite, so neither slows the other
      // (wall-clock limits on the host would otherwise see the guest's load).
      ...(inGuest ? [] : [{ extends: true as const, test: { name: 'cgroup-v2', include: [VM], sequence: { groupOrder: 1 } } }]),
    ],
  },
});
