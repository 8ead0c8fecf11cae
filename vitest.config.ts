import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    // The limit only catches a hang: no unit test waits for time (they run on fake clocks), but on a busy
    // 2-core machine the CPU-heavy ones (thousands of plans, whole CLI runs) take 5-10 times their usual time,
    // and a test cut off at 5 s leaves its work running into the next test of its file.
    testTimeout: 120_000,
  },
});
