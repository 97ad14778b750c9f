// `vitest list` collects every file (importing it) without running a test: the count discovery reports.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Discovery } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { shellQuote } from '../command-line.js';
import { firstErrorLine } from '../error-text.js';
import type { DiscoverContext } from '../registry.js';
import { atLeast, named, packageVersion } from '../version.js';

export async function discoverVitest(suite: SuiteConfig, { dir, text, run }: DiscoverContext): Promise<Discovery> {
  const version = await packageVersion(['vitest'], dir);
  // vitest 1 reads `list` as a file filter (and `--json` as an unknown option): only vitest 2 lists.
  if (!atLeast(version, 2)) return { suite: suite.name, reason: `${named('vitest', version)} has no \`vitest list\` (vitest 2 has)` };
  const listed = text.replace(/(^|\s)(npx\s+)?vitest(\s+(run|related))?(?=\s|$)/, '$1npx vitest list');
  if (listed === text) return { suite: suite.name, reason: `could not turn "${text}" into a \`vitest list\` command` };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'fixloop-discover-'));
  try {
    const file = path.join(tmp, 'list.json');
    const result = await run(`${listed} --json=${shellQuote(file)}`);
    const json = await readFile(file, 'utf8').catch(() => undefined);
    const tests = json === undefined ? undefined : (JSON.parse(json) as unknown[]);
    if (result.exitCode === 0 && Array.isArray(tests)) return { suite: suite.name, count: tests.length };
    return { suite: suite.name, reason: `\`vitest list\` could not collect the suite: ${firstErrorLine(result.outputTail)}` };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
