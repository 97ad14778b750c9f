// pytest: its JUnit report (xunit1), flags by version, `--collect-only` to count.
import type { RunnerDefinition } from '../registry.js';
import { pytestProgress } from './progress.js';
import { PytestAdapter } from './adapter.js';
import { discoverPytest } from './discover.js';

export const pytest: RunnerDefinition = {
  format: 'pytest',
  adapter: new PytestAdapter(),
  detect: (command) => /(^|[\s/])(pytest|py\.test)(\s|$)/.test(command),
  script: (program, args) =>
    program === 'pytest' || program === 'py.test' || (/^python[\d.]*$/.test(program) && args[0] === '-m' && args[1] === 'pytest') ? { watch: false } : undefined,
  discover: discoverPytest,
  progress: pytestProgress,
};
