import { defineConfig } from 'vitest/config';

// Runs against the real Keystone + Glance started by scripts/openstack-dev.sh.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
