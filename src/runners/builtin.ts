// The runners fixloop ships, registered once on first import. A new runner is a folder beside
// these and one line here.
import { exitCode } from './exit-code/index.js';
import { jest } from './jest/index.js';
import { junit } from './junit/index.js';
import { mocha } from './mocha/index.js';
import { nodeTest } from './node-test/index.js';
import { pytest } from './pytest/index.js';
import { registerRunner, runnerDefinition, type RunnerDefinition } from './registry.js';
import { vitest } from './vitest/index.js';

export const BUILTIN_RUNNERS: readonly RunnerDefinition[] = [vitest, jest, nodeTest, pytest, mocha, junit, exitCode];

// A user's runner registered before this module loaded keeps its place.
for (const runner of BUILTIN_RUNNERS) if (!runnerDefinition(runner.format)) registerRunner(runner);
