import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/browser needs chromium: `npm run test:browser`.
    // Fixture repositories hold their own tests; they are run by fixloop, not by us.
    exclude: ['fixtures/**', 'node_modules/**', 'test/browser/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
