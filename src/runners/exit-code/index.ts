// A command judged by its exit code alone, as one test.
import type { RunnerDefinition } from '../registry.js';
import { ExitCodeAdapter } from './adapter.js';

export const exitCode: RunnerDefinition = {
  format: 'exit-code',
  adapter: new ExitCodeAdapter(),
  cannotList: 'an exit-code suite has no tests to list',
};
