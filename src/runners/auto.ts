// `format: "auto"`: which runner a suite's command runs, from the command itself or, for
// `npm test` / `npm run x`, from the script in package.json.
import { npmScript } from './command-line.js';

export type DetectedFormat = 'vitest' | 'jest' | 'node-test' | 'pytest' | 'junit' | 'exit-code';

export interface Detection {
  format: DetectedFormat;
  /** Set when the runner could not be read well: the SuiteRun carries it. */
  warning?: string;
}

const RUNNERS: [DetectedFormat | 'mocha', RegExp][] = [
  ['vitest', /(^|[\s/])vitest(\s|$)/],
  ['jest', /(^|[\s/])jest(\.js)?(\s|$)/],
  ['node-test', /(^|[\s/])node\s(.*\s)?--test(\s|$)/],
  ['pytest', /(^|[\s/])(pytest|py\.test)(\s|$)/],
  ['mocha', /(^|[\s/])mocha(\s|$)/],
];

export function detectFormat(command: string, dir: string, junitFile?: string): Detection {
  const script = npmScript(command, dir);
  const text = script ?? command;
  const found = RUNNERS.find(([, pattern]) => pattern.test(text))?.[0];
  if (found && found !== 'mocha') return { format: found };
  if (junitFile) return { format: 'junit' };
  const shown = script ? `"${command}" (script: "${script}")` : `"${command}"`;
  const why =
    found === 'mocha'
      ? 'mocha is read through JUnit XML: give the suite "format": "junit" and the "junitFile" its JUnit reporter writes'
      : 'name the runner with "format" (vitest, jest, node-test, pytest, junit)';
  return { format: 'exit-code', warning: `No test runner recognised in ${shown}: judged by exit code only, as one test. To see single tests, ${why}.` };
}
