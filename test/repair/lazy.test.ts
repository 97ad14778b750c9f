// The TypeScript providers are loaded on their first problem: the CLI starts without ts-morph, and a
// provider loaded late is told what it would have been told had it been loaded first.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Candidate, Problem } from '../../src/model.js';
import { defaultProviders } from '../../src/repair/index.js';
import { LazyProvider } from '../../src/repair/lazy.js';
import type { PatchProvider, ProposeContext, ProviderStart } from '../../src/repair/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problem = { id: 'p1' } as Problem;
const ctx = { root: '/r', protect: [], history: [] } as ProposeContext;

function recording(calls: string[]): PatchProvider {
  return {
    name: 'fake',
    deterministic: true,
    start: (run: ProviderStart) => void calls.push(`start ${run.earlier.length}`),
    iterationStart: (i: number) => void calls.push(`iteration ${i}`),
    async *propose(p: Problem): AsyncIterable<Candidate> {
      calls.push(`propose ${p.id}`);
      yield { id: 'c1' } as Candidate;
    },
    stop: () => (calls.push('stop'), { llm: undefined }),
  };
}

describe('LazyProvider', () => {
  it('loads on the first problem, after replaying start and the current iteration, and only once', async () => {
    const calls: string[] = [];
    let loads = 0;
    const lazy = new LazyProvider('fake', true, async () => (loads++, recording(calls)));
    lazy.start({ earlier: [] });
    await lazy.iterationStart(1);
    await lazy.iterationStart(2);
    expect([loads, calls]).toEqual([0, []]);
    const first: Candidate[] = [];
    for await (const c of lazy.propose(problem, ctx)) first.push(c);
    for await (const c of lazy.propose(problem, ctx)) first.push(c);
    await lazy.iterationStart(3);
    expect(await lazy.stop()).toEqual({ llm: undefined });
    expect([loads, first.map((c) => c.id), calls]).toEqual([1, ['c1', 'c1'], ['start 0', 'iteration 2', 'propose p1', 'propose p1', 'iteration 3', 'stop']]);
  });

  it('a provider never asked is never loaded, and its stop says nothing', async () => {
    let loads = 0;
    const lazy = new LazyProvider('fake', false, async () => (loads++, recording([])));
    lazy.start({ earlier: [] });
    expect([await lazy.stop(), loads, lazy.name, lazy.deterministic]).toEqual([undefined, 0, 'fake', false]);
  });

  it('refuses a loader that gives a provider of another name', async () => {
    const lazy = new LazyProvider('codefix', true, async () => recording([]));
    await expect(lazy.propose(problem, ctx)[Symbol.asyncIterator]().next()).rejects.toThrow('lazy provider "codefix" loaded a provider named "fake"');
  });

  it('the default TypeScript providers load their real modules', async () => {
    const [codefix, syntax, rules] = defaultProviders();
    const names: string[] = [];
    for (const p of [codefix, syntax, rules]) {
      // A problem without location or tests: each loads, then proposes nothing.
      for await (const c of p.propose({ id: 'x', kind: 'assertion', title: 't', testIds: [], testFiles: [], loadFailedFiles: [], failures: [] } as unknown as Problem, ctx)) names.push(c.id);
    }
    expect([codefix.name, syntax.name, rules.name, names]).toEqual(['codefix', 'syntax', 'rules', []]);
  });
});

describe('the CLI module', () => {
  it('loads without ts-morph (about a second of start-up a green run never needs)', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "const { register } = await import('tsx/esm/api'); register();",
      "await import('./src/cli.ts');",
      'const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("/ts-morph/"));',
      'console.log(JSON.stringify(loaded));',
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe('[]');
  }, 30_000);
});
