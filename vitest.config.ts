import { defineConfig } from 'vitest/config';

// Slow-down of the CPU the tests run on: the cgroup v2 guest under QEMU's TCG passes 10 (test/vm).
const scale = Number(process.env.JUDGED_TIME_SCALE ?? 1) || 1;

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // Inside the cgroup v2 guest the guest's suites run (test/vm/inside among them), never the guest again.
    exclude: process.env.JUDGED_VM_GUEST ? ['**/node_modules/**', 'test/vm/*.test.ts'] : ['**/node_modules/**'],
    testTimeout: 60_000 * scale,
    hookTimeout: 120_000 * scale,
    // Two cores on the reference machine: more forks only add timing noise to sandbox runs.
    maxWorkers: 2,
  },
});
