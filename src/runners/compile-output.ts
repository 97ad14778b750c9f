// A suite whose command compiles the code before its runner starts (yargs-parser's
// `pretest: tsc -p tsconfig.test.json`, `npm run build && mocha`) stops on TypeScript errors
// before any report is written. The compiler's errors are then what failed: one load failure per
// project file they name, at its first error, so the repair providers get a place and a message
// instead of a suite blocked without a report.
import type { Failure, LoadFailure } from '../model.js';
import { diagnosticLocation, tsDiagnostics } from '../triage/diagnostics.js';
import { relativizeText, stripAnsi, type PathContext } from './error-text.js';

/** A package that cannot be resolved is missing from the environment, not wrong in the code. */
const MISSING_PACKAGE = /^Cannot find module '[^./][^']*'/;

export function compileFailures(output: string, ctx: PathContext, suite: string): LoadFailure[] {
  const byFile = new Map<string, string[]>();
  for (const line of stripAnsi(output).split('\n')) {
    const [diagnostic] = tsDiagnostics(line);
    if (!diagnostic || (diagnostic.code === 2307 && MISSING_PACKAGE.test(diagnostic.message))) continue;
    byFile.set(diagnostic.file, [...(byFile.get(diagnostic.file) ?? []), line.trim()]);
  }
  const failures: LoadFailure[] = [];
  for (const lines of byFile.values()) {
    const [first] = tsDiagnostics(lines[0]);
    const failure: Failure = { message: `error TS${first.code}: ${first.message}`, stack: relativizeText(lines.join('\n'), ctx.root) };
    // Errors in declarations of installed packages or outside the checkout: nothing to fix here.
    const location = diagnosticLocation(failure, ctx);
    if (location) failures.push({ suite, file: location.file, failure: { ...failure, location } });
  }
  return failures;
}
