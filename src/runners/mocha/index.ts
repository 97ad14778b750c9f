// mocha: its xunit reporter read as JUnit, load errors from its output.
import type { RunnerDefinition } from '../registry.js';
import { mochaProgress } from './progress.js';
import { MochaAdapter } from './adapter.js';

export const mocha: RunnerDefinition = {
  format: 'mocha',
  adapter: new MochaAdapter(),
  detect: (command) => /(^|[\s/])_?mocha(\s|$)/.test(command),
  script: (program, args) => (program === 'mocha' || program === '_mocha' ? { watch: args.some((a) => a === '--watch' || a === '-w') } : undefined),
  cannotList: 'mocha cannot list its tests without running them',
  progress: mochaProgress,
};
