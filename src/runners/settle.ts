// What every run's results go through once they are read, whichever adapter read them: the
// checkout's own path taken out of names and messages, failures located where their text says
// (a line of bundled build output at the source line it was copied from),
// and tests that share a name told apart. The same test then has the same id in the loop's
// checkout and in a verification worktree.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Failure, LoadFailure, TestCase } from '../model.js';
import { identifyTests } from '../test-run.js';
import { locateInMessage } from '../triage/diagnostics.js';
import type { PathContext } from './error-text.js';
import { sourceOfBuiltLine } from './build-output.js';
import { completeFailure } from './failure-detail.js';

/** The checkout's root as given and as the file system resolves it (/tmp and /private/tmp, symlinked temp directories). */
export function checkoutRoots(cwd: string): string[] {
  const given = path.resolve(cwd);
  const roots = new Set([given]);
  if (existsSync(given)) roots.add(realpathSync(given));
  // The longest first, so a root inside another is not cut in half.
  return [...roots].filter((r) => r !== path.parse(r).root).sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Paths under a root as repository-relative ("/tmp/a/src/x.ts" -> "src/x.ts", file:// URLs too)
 * and the root itself as ".". A path that only starts or ends like the root (/tmp/a-2,
 * /var/tmp/a) is left alone.
 */
export function withoutRoots(text: string, roots: string[]): string {
  let out = text;
  for (const root of roots) {
    if (!out.includes(root)) continue;
    const pattern = new RegExp(`(?<![\\w.~/-])(?:file://)?${escapeRegExp(root)}(/|(?![\\w.-]))`, 'g');
    out = out.replace(pattern, (_, slash: string) => (slash === '/' ? '' : '.'));
  }
  return out;
}

function settleFailure(failure: Failure, roots: string[], ctx: PathContext, testFile: string, checkout: string): Failure {
  const settled: Failure = { ...failure, message: withoutRoots(failure.message, roots) };
  if (failure.stack !== undefined) settled.stack = withoutRoots(failure.stack, roots);
  const location = locateInMessage(settled, ctx, testFile);
  if (location) settled.location = location;
  const copied = settled.location && sourceOfBuiltLine(checkout, settled.location);
  if (copied) settled.location = copied;
  return completeFailure(settled, testFile, ctx.root);
}

export interface Results {
  tests: TestCase[];
  loadFailures: LoadFailure[];
}

/**
 * Settles results read from a run in `cwd` (the checkout's root; `ctx` where the suite ran) in
 * place. Idempotent: results settled twice (by runWithReport, then by runSuites) stay the same.
 */
export function settleResults(results: Results, cwd: string, ctx: PathContext): void {
  const roots = checkoutRoots(cwd).concat(checkoutRoots(ctx.root)).filter((r, i, all) => all.indexOf(r) === i).sort((a, b) => b.length - a.length);
  for (const test of results.tests) {
    test.fullName = withoutRoots(test.fullName, roots);
    if (test.failure) test.failure = settleFailure(test.failure, roots, ctx, test.file, cwd);
  }
  for (const load of results.loadFailures) load.failure = settleFailure(load.failure, roots, ctx, load.file, cwd);
  identifyTests(results.tests);
}
