import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    // Inside the cgroup v2 guest (test/vm) the guest's own suites run, never the guest again.
    exclude: process.env.JUDGED_VM_GUEST ? ['**/node_modules/**', 'test/vm/**'] : ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores on the reference machine: more forks only add timing noise to sandbox runs.
    maxWorkers: 2,
  },
});
