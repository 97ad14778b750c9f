import { defineConfig } from 'vitest/config';

// `npm run test:browser`: tests that need Debian's chromium (installed by .ci/run).
export default defineConfig({
  test: { include: ['test/browser/**/*.test.ts'], testTimeout: 90_000 },
});
