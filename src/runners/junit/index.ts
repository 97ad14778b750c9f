// Any runner that writes JUnit XML to the file the policy names (`junitFile`).
import type { RunnerDefinition } from '../registry.js';
import { JunitAdapter } from './adapter.js';

export const junit: RunnerDefinition = {
  format: 'junit',
  adapter: new JunitAdapter(),
  cannotList: 'a JUnit suite is only known from the report it writes',
};
