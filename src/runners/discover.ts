// Discovery: how many tests each suite would run, counted without running them, so a report can
// say how many expected tests were never executed. Each runner counts its own (its folder's
// discover.ts); suites that cannot be counted are named, with why.
import path from 'node:path';
import type { Discovery } from '../model.js';
import type { SuiteConfig } from '../policy/index.js';
import { detectFormat } from './auto.js';
import './builtin.js';
import { npmScript } from './command-line.js';
import { runCommand } from './process.js';
import { runnerDefinition } from './registry.js';

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
  const runner = runnerDefinition(format);
  if (!runner?.discover) return { suite: suite.name, reason: runner?.cannotList ?? `${format} cannot list its tests` };
  const text = npmScript(suite.command, dir) ?? suite.command;
  return runner.discover(suite, { dir, text, run: (command) => runCommand(command, { cwd: dir, timeoutSec: suite.timeoutSec, signal: opts.signal }) });
}
