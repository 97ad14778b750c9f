// node --test: fixloop's own reporter (reporter.mjs) writing one JSON event per line.
import type { RunnerDefinition } from '../registry.js';
import { NodeTestAdapter } from './adapter.js';

export const nodeTest: RunnerDefinition = {
  format: 'node-test',
  adapter: new NodeTestAdapter(),
  // tsx hands node's options to node: `tsx --test` is node's runner on TypeScript files.
  detect: (command) => /(^|[\s/])(node|tsx)\s(.*\s)?--test(\s|$)/.test(command),
  script: (program, args) => ((program === 'node' || program === 'tsx') && args.includes('--test') ? { watch: args.includes('--watch') } : undefined),
  cannotList: "node's test runner cannot list tests without running them",
};
