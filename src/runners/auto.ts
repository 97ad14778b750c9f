// `format: "auto"`: which runner a suite's command runs, from the command itself or, for
// `npm test` / `npm run x`, from the script in package.json; each registered runner says whether
// a command runs it.
import './builtin.js';
import { npmScript } from './command-line.js';
import { knownFormats, registeredRunners } from './registry.js';

/** A registered format: 'vitest' | 'jest' | 'node-test' | 'pytest' | 'mocha' | 'junit' | 'exit-code', or a user's. */
export type DetectedFormat = string;

export interface Detection {
  format: DetectedFormat;
  /** Set when the runner could not be read well: the SuiteRun carries it. */
  warning?: string;
}

export function detectFormat(command: string, dir: string, junitFile?: string): Detection {
  const script = npmScript(command, dir);
  const text = script ?? command;
  const found = registeredRunners().find((runner) => runner.detect?.(text))?.format;
  // A JUnit file the policy names is what the user wants read, mocha's own reporter or not.
  if (found && !(found === 'mocha' && junitFile)) return { format: found };
  if (junitFile) return { format: 'junit' };
  const shown = script ? `"${command}" (script: "${script}")` : `"${command}"`;
  const named = knownFormats().filter((f) => f !== 'exit-code').join(', ');
  return {
    format: 'exit-code',
    warning: `No test runner recognised in ${shown}: judged by exit code only, as one test. To see single tests, name the runner with "format" (${named}).`,
  };
}
