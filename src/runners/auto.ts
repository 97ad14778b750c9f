// `format: "auto"`: which runner a suite's command runs, from the command itself or, for
// `npm test` / `npm run x`, from the script in package.json.
import { npmScript } from './command-line.js';

export type DetectedFormat = 'vitest' | 'jest' | 'node-test' | 'pytest' | 'mocha' | 'junit' | 'exit-code';

export interface Detection {
  format: DetectedFormat;
  /** Set when the runner could not be read well: the SuiteRun carries it. */
  warning?: string;
}

const RUNNERS: [DetectedFormat, RegExp][] = [
  ['vitest', /(^|[\s/])vitest(\s|$)/],
  ['jest', /(^|[\s/])jest(\.js)?(\s|$)/],
  ['node-test', /(^|[\s/])node\s(.*\s)?--test(\s|$)/],
  ['pytest', /(^|[\s/])(pytest|py\.test)(\s|$)/],
  ['mocha', /(^|[\s/])_?mocha(\s|$)/],
];

export function detectFormat(command: string, dir: string, junitFile?: string): Detection {
  const script = npmScript(command, dir);
  const text = script ?? command;
  const found = RUNNERS.find(([, pattern]) => pattern.test(text))?.[0];
  // A JUnit file the policy names is what the user wants read, mocha's own reporter or not.
  if (found && !(found === 'mocha' && junitFile)) return { format: found };
  if (junitFile) return { format: 'junit' };
  const shown = script ? `"${command}" (script: "${script}")` : `"${command}"`;
  return {
    format: 'exit-code',
    warning: `No test runner recognised in ${shown}: judged by exit code only, as one test. To see single tests, name the runner with "format" (vitest, jest, node-test, pytest, mocha, junit).`,
  };
}
