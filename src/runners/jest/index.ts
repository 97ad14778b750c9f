// jest: its --json report, flags by version.
import type { RunnerDefinition } from '../registry.js';
import { jestProgress } from './progress.js';
import { JestAdapter } from './adapter.js';

export const jest: RunnerDefinition = {
  format: 'jest',
  adapter: new JestAdapter(),
  detect: (command) => /(^|[\s/])jest(\.js)?(\s|$)/.test(command),
  script: (program, args) => (program === 'jest' ? { watch: args.some((a) => a === '--watch' || a === '--watchAll') } : undefined),
  cannotList: 'jest lists test files, not tests (--listTests)',
  progress: jestProgress,
};
