// Prompt size of the llm provider per problem (issue 4): for faults injected into the bench
// projects, the first request the provider sends with the ts-morph context slice versus with the
// whole failing file, counted by the scripted Messages API server (characters / 4). The server
// answers with the patch that undoes the fault, so "success" means the provider turned that answer
// into a candidate whose file equals the clean source (equal success in both modes).
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contextFor, projectFor } from '../src/analysis/index.js';
import type { Problem } from '../src/model.js';
import { DEFAULT_PROTECT } from '../src/policy/index.js';
import { LlmBudget, LlmProvider, type ContextMode } from '../src/repair/llm/index.js';
import { startServer, tokensOf, tool, type ScriptedServer } from '../test/llm/server.js';
import { sitesOf, type FaultKind, type Site } from './faults.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'fixtures/bench');
const KINDS: FaultKind[] = ['missing-import', 'misspelled-identifier', 'use-before-declaration', 'missing-await'];
const MODES: ContextMode[] = ['slice', 'whole-file'];

interface Measure {
  request: number;
  message: number;
  context: number;
  ok: boolean;
}
interface Row {
  project: string;
  site: Site;
  lines: number;
  by: Record<ContextMode, Measure>;
}

/** The smallest whole-line edit from faulty back to clean whose oldText occurs once. */
function undo(faulty: string, clean: string): { oldText: string; newText: string } {
  const a = faulty.split(/(?<=\n)/);
  const b = clean.split(/(?<=\n)/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  for (;;) {
    const oldText = a.slice(start, a.length - end).join('');
    const newText = b.slice(start, b.length - end).join('');
    if (oldText && faulty.indexOf(oldText) === faulty.lastIndexOf(oldText)) return { oldText, newText };
    if (start > 0) start--;
    else end--;
  }
}

function problemFor(root: string, file: string, faulty: string, clean: string, site: Site): Problem {
  const firstDiff = faulty.split('\n').findIndex((line, i) => line !== clean.split('\n')[i]) + 1;
  const analysis = projectFor(root);
  analysis.refresh([file]);
  const diagnostic = analysis.diagnosticsFor(file).find((d) => d.file === file);
  const line = diagnostic?.line ?? firstDiff;
  const message = diagnostic ? `TypeError: ${diagnostic.message}` : `AssertionError: ${site.description}`;
  const test = `test/${path.basename(file, '.ts')}.test.ts`;
  return {
    id: `${site.kind}:${file}:${line}`,
    kind: diagnostic ? 'type' : 'assertion',
    title: `${message} (${file}:${line})`,
    message,
    location: { file, line, column: diagnostic?.column ?? 1 },
    testIds: [`unit::${test}::works`],
    loadFailedFiles: [],
    testFiles: [test],
    failures: [{ message, errorName: message.split(':')[0], stack: `${message}\n    at ${file}:${line}:${diagnostic?.column ?? 1}\n    at ${test}:10:5`, location: { file, line } }],
  };
}

/** One server per mode for the whole run, so prompt caching is measured across problems as in a real run. */
const servers = {} as Record<ContextMode, ScriptedServer>;

async function measure(root: string, problem: Problem, file: string, patch: { oldText: string; newText: string }, clean: string, mode: ContextMode, budget: LlmBudget): Promise<Measure> {
  const answer = { rationale: 'undo the fault', rootCause: 'the injected fault', edits: [{ path: file, ...patch }], commit: { type: 'fix', subject: 'undo the injected fault' } };
  servers[mode] ??= await startServer([]);
  const server = servers[mode];
  server.push({ answer: [tool('propose_patch', answer)] });
  const llm = new LlmProvider({ apiKey: 'bench', baseURL: server.url, contextMode: mode, budget, llm: { maxTurns: 1 } });
  // As the loop does: the analysis context with its default budget; the provider cuts its own.
  const context = contextFor(root, problem.location!);
  const candidates = [];
  for await (const c of llm.propose(problem, { root, protect: DEFAULT_PROTECT, history: [], context })) candidates.push(c);
  const sent = server.requests.at(-1)!;
  const first: string = sent.body.messages[0].content[0].text;
  const section = first.split('## Code at the location')[1]?.split('## Protected paths')[0] ?? '';
  return {
    request: sent.promptTokens,
    message: tokensOf(first),
    context: tokensOf(section.trim()),
    ok: candidates.length === 1 && candidates[0].patch.changes[0]?.after === clean,
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const budgets = { slice: new LlmBudget({ prices: {} }), 'whole-file': new LlmBudget({ prices: {} }) };
  for (const project of readdirSync(FIXTURES).filter((p) => !p.includes('.')).sort()) {
    const root = path.join(mkdtempSync(path.join(tmpdir(), `fixloop-llm-bench-${project}-`)), 'repo');
    cpSync(path.join(FIXTURES, project), root, { recursive: true });
    const files = readdirSync(path.join(root, 'src')).filter((f) => f.endsWith('.ts')).sort().map((f) => `src/${f}`);
    for (const kind of KINDS) {
      // The first site of the kind in the largest file that has one: the case where context matters most.
      const bySize = [...files].sort((x, y) => readFileSync(path.join(root, y), 'utf8').length - readFileSync(path.join(root, x), 'utf8').length);
      let chosen: { file: string; site: Site; clean: string } | undefined;
      for (const file of bySize) {
        const clean = readFileSync(path.join(root, file), 'utf8');
        const site = sitesOf(kind, file, clean)[0];
        if (site) {
          chosen = { file, site, clean };
          break;
        }
      }
      if (!chosen) continue;
      const { file, site, clean } = chosen;
      writeFileSync(path.join(root, file), site.faulty);
      const problem = problemFor(root, file, site.faulty, clean, site);
      const patch = undo(site.faulty, clean);
      const by = {} as Record<ContextMode, Measure>;
      for (const mode of MODES) by[mode] = await measure(root, problem, file, patch, clean, mode, budgets[mode]);
      rows.push({ project, site, lines: site.faulty.split('\n').length, by });
      writeFileSync(path.join(root, file), clean);
      projectFor(root).refresh([file]);
      console.error(`${project} ${kind} ${file}: context ${by.slice.context} vs ${by['whole-file'].context} tokens`);
    }
  }
  for (const server of Object.values(servers)) await server.close();
  writeFileSync(path.join(ROOT, 'bench/results/llm.md'), report(rows, budgets));
  console.error('wrote bench/results/llm.md');
}

function report(rows: Row[], budgets: Record<ContextMode, LlmBudget>): string {
  const sum = (mode: ContextMode, key: 'request' | 'message' | 'context') => rows.reduce((n, r) => n + r.by[mode][key], 0);
  const ratio = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(2));
  const lines = [
    '# llm provider: prompt size per problem',
    '',
    `Written by \`npm run bench llm\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}. Tokens are counted by the scripted`,
    'Messages API server in test/llm/server.ts as characters / 4 (it cannot run a tokenizer). One fault per',
    'kind and bench project (`bench/faults.ts`, first site in the largest file that has one); the',
    'problem is located at the first TypeScript diagnostic of the faulty file, else at the first changed',
    'line. The server answers with the patch that undoes the fault; "ok" means the provider turned it into',
    'a candidate whose file equals the clean source. Tests are not run here (bench/repair.bench.ts does that).',
    '',
    '- **context**: the "Code at the location" section: the ts-morph slice (enclosing declaration, imports,',
    '  referenced declarations, diagnostics) versus the whole failing file, numbered.',
    '- **message**: the whole first user message (problem, failures, context, protected paths, history).',
    '- **request**: everything sent in the first request, the cached system prompt and tool schemas included.',
    '',
    '| project | fault | file (lines) | context slice / whole | message slice / whole | request slice / whole | ok |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const s = r.by.slice;
      const w = r.by['whole-file'];
      return `| ${r.project} | ${r.site.kind}: ${r.site.description.replace(/\|/g, '\\|')} | ${r.site.file} (${r.lines}) | ${s.context} / ${w.context} (${ratio(s.context, w.context)}) | ${s.message} / ${w.message} (${ratio(s.message, w.message)}) | ${s.request} / ${w.request} (${ratio(s.request, w.request)}) | ${s.ok && w.ok ? 'both' : `${s.ok ? 'slice' : ''}${w.ok ? 'whole' : ''}` || 'neither'} |`;
    }),
    `| **total** | ${rows.length} faults | | ${sum('slice', 'context')} / ${sum('whole-file', 'context')} (**${ratio(sum('slice', 'context'), sum('whole-file', 'context'))}**) | ${sum('slice', 'message')} / ${sum('whole-file', 'message')} (${ratio(sum('slice', 'message'), sum('whole-file', 'message'))}) | ${sum('slice', 'request')} / ${sum('whole-file', 'request')} (${ratio(sum('slice', 'request'), sum('whole-file', 'request'))}) | ${rows.filter((r) => r.by.slice.ok).length}/${rows.length} slice, ${rows.filter((r) => r.by['whole-file'].ok).length}/${rows.length} whole |`,
    '',
    `Prompt caching, as the scripted server simulates it (the prefix up to the last \`cache_control\` breakpoint, system`,
    `prompt and tool schemas, is written by the first request and read by the others): over the ${rows.length} requests of`,
    `each mode, ${(budgets.slice.cacheHitShare * 100).toFixed(0)}% of the slice mode's prompt tokens and ${(budgets['whole-file'].cacheHitShare * 100).toFixed(0)}% of the whole-file mode's were cache reads.`,
    '',
  ];
  return lines.join('\n');
}

await main();
