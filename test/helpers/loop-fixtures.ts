import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { createLoop } from '../../src/loop/index.js';
import type { Candidate, LoopEvent, Problem } from '../../src/model.js';
import type { PatchProvider } from '../../src/repair/types.js';

export async function collect(loop: ReturnType<typeof createLoop>): Promise<LoopEvent[]> {
  const events: LoopEvent[] = [];
  for await (const e of loop.run()) events.push(e);
  return events;
}

/** A provider that proposes exactly the given file contents, whatever the problem. */
export function scripted(name: string, edits: Record<string, string>): PatchProvider {
  return {
    name,
    async *propose(problem: Problem, ctx): AsyncIterable<Candidate> {
      const changes = Object.entries(edits).map(([file, after]) => ({ path: file, before: readFileSync(path.join(ctx.root, file), 'utf8'), after }));
      yield { id: `${name}-1`, problemId: problem.id, provider: name, title: `scripted edit of ${Object.keys(edits).join(', ')}`, rationale: 'test', patch: { changes } };
    },
  };
}

export const COUNTER = {
  'package.json': '{"type":"module"}\n',
  '.gitignore': 'node_modules\n',
  // No flaky re-runs here: the specs that use this repository are about other things.
  'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 } }),
  'src/counter.ts': 'export const next = (n: number) => n + 2;\nexport const prev = (n: number) => n - 1;\n',
  'test/counter.test.ts': [
    "import { expect, it } from 'vitest';",
    "import { next, prev } from '../src/counter';",
    "it('next adds one', () => { expect(next(1)).toBe(2); });",
    "it('prev subtracts one', () => { expect(prev(2)).toBe(1); });",
    '',
  ].join('\n'),
};

/** The counter's source with its bug fixed. */
export const COUNTER_FIXED = 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n - 1;\n';
