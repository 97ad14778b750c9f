import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Problem } from '../../src/model.js';
import { DEFAULT_PROTECT } from '../../src/policy/index.js';
import type { ProposeContext } from '../../src/repair/types.js';
import type { Candidate } from '../../src/model.js';
import { LlmProvider, type LlmEvent, type LlmProviderOptions } from '../../src/repair/llm/index.js';

export const KEY = 'sk-ant-test-0123456789abcdef';

export const PRICE_CONFIG = (extra: NonNullable<LlmProviderOptions['llm']> = {}): NonNullable<LlmProviderOptions['llm']> => ({ maxRetries: 2, ...extra });

export const SOURCE = [
  "export function total(prices: number[]): number {",
  "  let sum = 0;",
  "  for (let i = 1; i < prices.length; i++) sum += prices[i];",
  "  return sum;",
  "}",
  "",
].join('\n');

/** A directory with src/total.ts (an off-by-one) and its test. */
export function sourceDir(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-llm-'));
  const files: Record<string, string> = {
    'src/total.ts': SOURCE,
    'test/total.test.ts': "import { total } from '../src/total.js';\nit('adds', () => expect(total([1, 2])).toBe(3));\n",
    ...extra,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export const PROBLEM: Problem = {
  id: 'assertion:src/total.ts:3',
  kind: 'assertion',
  title: 'AssertionError: expected 2 to be 3 at src/total.ts:3',
  message: 'AssertionError: expected 2 to be 3',
  location: { file: 'src/total.ts', line: 3, column: 3 },
  testIds: ['unit::test/total.test.ts::adds'],
  loadFailedFiles: [],
  testFiles: ['test/total.test.ts'],
  failures: [{ message: 'expected 2 to be 3', errorName: 'AssertionError', stack: 'AssertionError: expected 2 to be 3\n    at test/total.test.ts:2:40', location: { file: 'test/total.test.ts', line: 2 } }],
};

export function ctxFor(root: string, extra: Partial<ProposeContext> = {}): ProposeContext {
  return { root, protect: DEFAULT_PROTECT, history: [], ...extra };
}

export const GOOD_PATCH = {
  rationale: 'The loop starts at 1 and skips the first price.',
  rootCause: 'total() starts summing at index 1.',
  edits: [{ path: 'src/total.ts', oldText: 'let i = 1;', newText: 'let i = 0;' }],
  commit: { type: 'fix', scope: 'total', subject: 'sum every price in total()' },
};

export function provider(url: string, options: Partial<LlmProviderOptions> = {}, events: LlmEvent[] = []): LlmProvider {
  return new LlmProvider({ apiKey: KEY, baseURL: url, retryBaseMs: 1, onEvent: (e) => events.push(e), ...options, llm: PRICE_CONFIG(options.llm) });
}

export async function collect(source: AsyncIterable<Candidate>): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for await (const c of source) out.push(c);
  return out;
}
