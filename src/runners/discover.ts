// Discovery: how many tests each suite would run, counted without running them, so a report can
// say how many expected tests were never executed. Suites that cannot be counted are named, with why.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Discovery } from '../model.js';
import type { SuiteConfig } from '../policy/index.js';
import { detectFormat } from './auto.js';
import { npmScript, shellQuote } from './command-line.js';
import { stripAnsi } from './error-text.js';
import { runCommand } from './process.js';
import { atLeast, named, packageVersion } from './version.js';

export interface DiscoverOptions {
  cwd: string;
  signal?: AbortSignal;
}

export async function discoverTests(suites: SuiteConfig[], opts: DiscoverOptions): Promise<Discovery[]> {
  const out: Discovery[] = [];
  for (const suite of suites) out.push(await discoverSuite(suite, opts));
  return out;
}

async function discoverSuite(suite: SuiteConfig, opts: DiscoverOptions): Promise<Discovery> {
  const dir = path.resolve(opts.cwd, suite.cwd ?? '.');
  const format = suite.format === 'auto' ? detectFormat(suite.command, dir, suite.junitFile).format : suite.format;
  const text = npmScript(suite.command, dir) ?? suite.command;
  const run = (command: string) => runCommand(command, { cwd: dir, timeoutSec: suite.timeoutSec, signal: opts.signal });
  if (format === 'vitest') {
    const version = await packageVersion(['vitest'], dir);
    // vitest 1 reads `list` as a file filter (and `--json` as an unknown option): only vitest 2 lists.
    if (!atLeast(version, 2)) return { suite: suite.name, reason: `${named('vitest', version)} has no \`vitest list\` (vitest 2 has)` };
    // `vitest list` collects every file (importing it) without running a test.
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
  if (format === 'pytest') {
    const result = await run(`${text} --collect-only -q`);
    const tail = result.outputTail;
    const collected = /(\d+) tests? collected/.exec(tail) ?? /^(\d+) tests?\b/m.exec(tail);
    const errors = /(\d+) errors?\b/.exec(tail.split('\n').filter((l) => /collected|error/.test(l)).at(-1) ?? '');
    if (collected) {
      const count = Number(collected[1]);
      return errors ? { suite: suite.name, count, reason: `${errors[1]} file${errors[1] === '1' ? '' : 's'} could not be collected: their tests are not counted` } : { suite: suite.name, count };
    }
    return { suite: suite.name, reason: `pytest --collect-only did not report a count: ${firstErrorLine(tail)}` };
  }
  const why: Record<string, string> = {
    jest: 'jest lists test files, not tests (--listTests)',
    'node-test': "node's test runner cannot list tests without running them",
    mocha: 'mocha cannot list its tests without running them',
    junit: 'a JUnit suite is only known from the report it writes',
    'exit-code': 'an exit-code suite has no tests to list',
  };
  return { suite: suite.name, reason: why[format] ?? `${format} cannot list its tests` };
}

/** The first line of output that looks like an error, for one-line explanations. */
function firstErrorLine(output: string): string {
  const lines = stripAnsi(output).split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /error|cannot|not found|failed/i.test(l) && !/^npm warn/i.test(l));
  return (error ?? lines.at(-1) ?? 'no output').slice(0, 300);
}
