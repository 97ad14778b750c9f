import { afterEach, describe, expect, it } from 'vitest';
import { BudgetExhaustedError, ProviderFatalError } from '../../src/repair/errors.js';
import type { Candidate } from '../../src/model.js';
import { candidateFrom, LlmBudget, type LlmEvent } from '../../src/repair/llm/index.js';
import { startServer, text, tool, type ScriptedServer, type Step } from './server.js';
import { collect, ctxFor, GOOD_PATCH, KEY, PROBLEM, provider, SOURCE, sourceDir } from './helpers.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function play(script: Step[]): Promise<ScriptedServer> {
  server = await startServer(script);
  return server;
}

// One checkout for the tests that only read it: building its ts-morph project is the slow part.
const ROOT = sourceDir();

const lastUserContent = (s: ScriptedServer, i: number) => s.requests[i].body.messages.at(-1).content;

describe('LlmProvider', () => {
  it('turns a good patch in the first answer into one candidate', async () => {
    const s = await play([{ answer: [text('The loop skips index 0.'), tool('propose_patch', GOOD_PATCH)] }]);
    const root = ROOT;
    const candidates = await collect(provider(s.url).propose(PROBLEM, ctxFor(root)));

    expect(candidates).toEqual([
      {
        id: expect.stringMatching(/^llm-[0-9a-f]{12}$/),
        problemId: PROBLEM.id,
        provider: 'llm',
        title: 'sum every price in total()',
        rationale: GOOD_PATCH.rationale,
        rootCause: GOOD_PATCH.rootCause,
        patch: { changes: [{ path: 'src/total.ts', before: SOURCE, after: SOURCE.replace('let i = 1;', 'let i = 0;') }] },
        commit: { type: 'fix', scope: 'total', subject: 'sum every price in total()', body: undefined },
      },
    ]);
    expect(s.requests).toHaveLength(1);
    const { body, headers } = s.requests[0];
    expect(headers.authorization).toBe(`Bearer ${KEY}`); // SDK 1.12 sends the key as a bearer token
    expect(body.stream).toBe(true);
    expect(body.model).toBe('claude-sonnet-5-5');
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(body.tools.map((t: { name: string }) => t.name)).toEqual(['read_file', 'find_symbol', 'find_references', 'list_failures', 'propose_patch']);
    expect(body.tools.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    const first: string = body.messages[0].content[0].text;
    expect(first).toContain('AssertionError: expected 2 to be 3 at src/total.ts:3');
    expect(first).toContain('src/total.ts:1-5, the enclosing FunctionDeclaration total:');
    expect(first).toContain('3\t  for (let i = 1; i < prices.length; i++) sum += prices[i];');
    expect(first).toContain('- `**/test/**`');
    expect(first).toContain('(none: this is the first attempt)');
  });

  it('answers a read_file call, then takes the patch', async () => {
    const s = await play([{ answer: [tool('read_file', { path: 'src/total.ts', startLine: 2, endLine: 3 }, 'toolu_read')] }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const candidates = await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT)));

    expect(candidates.map((c) => c.title)).toEqual(['sum every price in total()']);
    expect(s.requests).toHaveLength(2);
    expect(lastUserContent(s, 1)).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_read', content: 'src/total.ts:2-3 of 5\n2\t  let sum = 0;\n3\t  for (let i = 1; i < prices.length; i++) sum += prices[i];\n(lines 4-5 not shown)' },
    ]);
    expect(s.requests[1].body.messages[1].role).toBe('assistant');
  });

  it('tells the model why a malformed patch was refused, and takes the corrected one', async () => {
    const events: LlmEvent[] = [];
    const malformed = { ...GOOD_PATCH, commit: { type: 'bugfix', scope: 'Total', subject: 'Fix it.' } };
    const s = await play([{ answer: [tool('propose_patch', malformed, 'toolu_bad')] }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const candidates = await collect(provider(s.url, {}, events).propose(PROBLEM, ctxFor(ROOT)));

    expect(candidates).toHaveLength(1);
    const [result] = lastUserContent(s, 1);
    expect(result.tool_use_id).toBe('toolu_bad');
    expect(result.is_error).toBe(true);
    expect(result.content).toMatch(/^propose_patch is malformed:\n- commit\.type: Invalid option: expected one of "fix"\|"feat"/);
    expect(result.content).toContain('- commit.scope: scope must be one lowercase word, e.g. "env"');
    expect(result.content).toContain('- commit.subject: subject must not end with a period');
    expect(events.filter((e) => e.type === 'llm:invalid-call')).toHaveLength(1);
  });

  it('refuses oldText that is missing or ambiguous, and gives up after maxTurns answers', async () => {
    const events: LlmEvent[] = [];
    const missing = { ...GOOD_PATCH, edits: [{ path: 'src/total.ts', oldText: 'let i = 2;', newText: 'let i = 0;' }] };
    const ambiguous = { ...GOOD_PATCH, edits: [{ path: 'src/total.ts', oldText: 'sum', newText: 'total' }] };
    const s = await play([{ answer: [tool('propose_patch', missing)] }, { answer: [tool('propose_patch', ambiguous)] }]);
    const candidates = await collect(provider(s.url, { llm: { maxTurns: 2 } }, events).propose(PROBLEM, ctxFor(ROOT)));

    expect(candidates).toEqual([]);
    expect(s.requests).toHaveLength(2);
    expect(lastUserContent(s, 1)[0].content).toBe('edits.0.oldText does not occur in src/total.ts: copy it exactly from read_file, without the line numbers');
    expect(events.filter((e) => e.type !== 'llm:request' && e.type !== 'llm:usage')).toEqual([
      { type: 'llm:invalid-call', problemId: PROBLEM.id, turn: 1, tool: 'propose_patch', reason: expect.stringContaining('does not occur') },
      { type: 'llm:invalid-call', problemId: PROBLEM.id, turn: 2, tool: 'propose_patch', reason: 'edits.0.oldText occurs 3 times in src/total.ts: include surrounding lines so it occurs exactly once' },
      { type: 'llm:gave-up', problemId: PROBLEM.id, reason: 'no valid propose_patch in 2 answers (llm.maxTurns)' },
    ]);
  });

  it('refuses edits outside the repository and to files that do not exist', async () => {
    const outside = { ...GOOD_PATCH, edits: [{ path: '../elsewhere.ts', oldText: 'a', newText: 'b' }] };
    const absent = { ...GOOD_PATCH, edits: [{ path: 'src/nope.ts', oldText: 'a', newText: 'b' }] };
    const s = await play([{ answer: [tool('propose_patch', outside)] }, { answer: [tool('propose_patch', absent)] }]);
    await collect(provider(s.url, { llm: { maxTurns: 2 } }).propose(PROBLEM, ctxFor(ROOT)));

    expect(lastUserContent(s, 1)[0].content).toBe('edits.0.path: ../elsewhere.ts: outside the repository');
  });

  it('nudges a model that answers without calling a tool', async () => {
    const s = await play([{ answer: [text('I think the loop is wrong.')] }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const candidates = await collect(provider(s.url, { llm: { maxTurns: 3 } }).propose(PROBLEM, ctxFor(ROOT)));

    expect(candidates).toHaveLength(1);
    expect(lastUserContent(s, 1)[0].text).toBe('No patch yet. Call `propose_patch` with your fix (2 answers left), or read more\ncode first with the read-only tools.');
  });

  it('rides out two 529s with the SDK retries, honouring retry-after', async () => {
    const overloaded: Step = { status: 529, errorType: 'overloaded_error', headers: { 'retry-after': '0.1' } };
    const s = await play([overloaded, overloaded, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const started = Date.now();
    const candidates = await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT)));

    expect(candidates).toHaveLength(1);
    expect(s.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('retries a stream that breaks with an error event, which the SDK does not retry', async () => {
    const s = await play([{ streamError: 'overloaded_error' }, { streamError: 'api_error' }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const candidates = await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT)));

    expect(candidates).toHaveLength(1);
    expect(s.requests).toHaveLength(3);
  });

  it('pauses for the iteration on a persistent outage, reports it, and resumes when told', async () => {
    const events: LlmEvent[] = [];
    const down: Step = { status: 503, errorType: 'api_error', headers: { 'retry-after-ms': '1' } };
    const s = await play([down, down, down, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const llm = provider(s.url, {}, events);
    const root = ROOT;

    expect(await collect(llm.propose(PROBLEM, ctxFor(root)))).toEqual([]);
    expect(s.requests).toHaveLength(3); // one request and the SDK's two retries
    expect(events.at(-1)).toEqual({ type: 'llm:outage', problemId: PROBLEM.id, status: 503, message: expect.stringMatching(/^the Messages API is unavailable \(503\) after retries: /) });
    expect(llm.paused?.reason).toMatch(/unavailable \(503\)/);
    expect(await collect(llm.propose(PROBLEM, ctxFor(root)))).toEqual([]);
    expect(s.requests).toHaveLength(3);
    expect(events.at(-1)).toEqual({ type: 'llm:paused', problemId: PROBLEM.id, reason: llm.paused!.reason });

    llm.resume();
    expect(await collect(llm.propose(PROBLEM, ctxFor(root)))).toHaveLength(1);
    expect(s.requests).toHaveLength(4);
  });

  it('gives up on a stream that stops sending (llm.idleTimeoutSec), retries it once, and pauses with a clear notice', async () => {
    const events: LlmEvent[] = [];
    const s = await play([{ stall: 'silent' }, { stall: 'silent' }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const llm = provider(s.url, { llm: { maxRetries: 1, idleTimeoutSec: 0.3 } }, events);
    const started = Date.now();

    expect(await collect(llm.propose(PROBLEM, ctxFor(ROOT)))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(s.requests).toHaveLength(2);
    expect(events.at(-1)).toEqual({
      type: 'llm:outage',
      problemId: PROBLEM.id,
      message: 'the Messages API stream stalled: no data for 0.3s (llm.idleTimeoutSec), 2 times',
    });
    expect(llm.paused?.reason).toMatch(/stalled/);
  });

  it('ends a request that trickles pings but no answer at llm.timeoutSec, without retrying it', async () => {
    const events: LlmEvent[] = [];
    const s = await play([{ stall: 'trickle', pingEveryMs: 50 }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const llm = provider(s.url, { llm: { timeoutSec: 0.6, idleTimeoutSec: 0.3 } }, events);
    const started = Date.now();

    expect(await collect(llm.propose(PROBLEM, ctxFor(ROOT)))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(s.requests).toHaveLength(1);
    expect(events.at(-1)).toEqual({
      type: 'llm:outage',
      problemId: PROBLEM.id,
      message: 'the Messages API did not finish its answer within 0.6s (llm.timeoutSec)',
    });
  });

  it('leaves an abort of the run an abort, not an outage', async () => {
    const events: LlmEvent[] = [];
    const s = await play([{ stall: 'silent' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await collect(provider(s.url, { llm: { idleTimeoutSec: 5 } }, events).propose(PROBLEM, ctxFor(ROOT, { signal: controller.signal }))).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: expect.stringMatching(/Abort/) });
    expect(events.filter((e) => e.type === 'llm:outage')).toEqual([]);
  });

  it('stops the run on 401 with a ProviderFatalError, without retrying', async () => {
    const s = await play([{ status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' }]);
    const error = await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderFatalError);
    expect(error).toMatchObject({ status: 401, provider: 'llm', message: expect.stringMatching(/^LLM request failed with 401: the API key was rejected: check ANTHROPIC_API_KEY/) });
    expect(s.requests).toHaveLength(1);
  });

  it.each([
    [403, 'permission_error', 'the API key may not use this model or endpoint'],
    [404, 'not_found_error', 'the model or endpoint does not exist: check llm.model and llm.baseURL / ANTHROPIC_BASE_URL'],
  ])('stops the run on %i with a ProviderFatalError', async (status, errorType, hint) => {
    const s = await play([{ status, errorType }]);
    const error = await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderFatalError);
    expect((error as Error).message.startsWith(`LLM request failed with ${status}: ${hint} (`)).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('stops before the request that would exceed budget.maxCostUSD', async () => {
    const s = await play([{ answer: [tool('list_failures', {})], outputTokens: 1000 }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const budget = new LlmBudget({ maxCostUSD: 0.005, prices: { 'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10, cacheReadPerMTok: 0.2, cacheWritePerMTok: 2.5 } } });
    const error = await collect(provider(s.url, { budget }).propose(PROBLEM, ctxFor(ROOT))).catch((e: unknown) => e);

    expect(s.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(error).toMatchObject({ budget: 'maxCostUSD', limit: 0.005, spent: budget.spent.costUSD });
    expect(budget.spent.costUSD).toBeGreaterThan(0.005);
  });

  it('stops before the request that would exceed budget.maxTokens, mid-problem', async () => {
    const s = await play([{ answer: [tool('read_file', { path: 'src/total.ts' })] }, { answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const budget = new LlmBudget({ maxTokens: 2500, prices: {} });
    const error = await collect(provider(s.url, { budget }).propose(PROBLEM, ctxFor(ROOT))).catch((e: unknown) => e);

    expect(s.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(error).toMatchObject({ budget: 'maxTokens', limit: 2500, spent: budget.tokens });
    expect(budget.spent.requests).toBe(1);
  });

  it('prices every response and measures the share of prompt tokens read from the cache', async () => {
    const s = await play([{ answer: [tool('list_failures', {})], outputTokens: 100 }, { answer: [tool('propose_patch', GOOD_PATCH)], outputTokens: 200 }]);
    const budget = new LlmBudget({ maxCostUSD: 1, prices: { 'claude-sonnet-5-5': { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 } } });
    await collect(provider(s.url, { budget }).propose(PROBLEM, ctxFor(ROOT)));

    const { spent } = budget;
    expect(spent.requests).toBe(2);
    expect(spent.outputTokens).toBe(300);
    expect(spent.cacheWriteTokens).toBe(spent.cacheReadTokens);
    expect(spent.cacheReadTokens).toBeGreaterThan(1000);
    expect(spent.inputTokens + spent.cacheReadTokens + spent.cacheWriteTokens).toBe(s.requests[0].promptTokens + s.requests[1].promptTokens);
    expect(budget.cacheHitShare).toBeCloseTo(spent.cacheReadTokens / (s.requests[0].promptTokens + s.requests[1].promptTokens), 10);
    expect(spent.costUSD).toBeCloseTo((spent.inputTokens * 3 + 300 * 15 + spent.cacheReadTokens * 0.3 + spent.cacheWriteTokens * 3.75) / 1e6, 12);
  });

  it('refuses a patch that was already tried, and takes a different one', async () => {
    const other = { ...GOOD_PATCH, edits: [{ path: 'src/total.ts', oldText: 'for (let i = 1; i < prices.length; i++) sum += prices[i];', newText: 'for (const price of prices) sum += price;' }] };
    const s = await play([{ answer: [tool('propose_patch', GOOD_PATCH, 'toolu_again')] }, { answer: [tool('propose_patch', other)] }]);
    const tried = (candidateFrom(GOOD_PATCH, ROOT, PROBLEM, 'llm') as { candidate: Candidate }).candidate;
    const history = [{ problemId: PROBLEM.id, candidateId: tried.id, provider: 'llm', title: tried.title, outcome: 'not-accepted' as const, diff: '', verdict: { kind: 'no-effect' as const, fixed: [], broke: [], stillFailing: ['unit::test/total.test.ts::adds'], summary: '' } }];
    const candidates = await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT, { history })));

    expect(candidates.map((c) => c.patch.changes[0].after)).toEqual([SOURCE.replace('for (let i = 1; i < prices.length; i++) sum += prices[i];', 'for (const price of prices) sum += price;')]);
    expect(lastUserContent(s, 1)).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_again', is_error: true, content: 'This exact patch was already tried (attempt 1): verdict no-effect; still failing: unit::test/total.test.ts::adds. Propose a different fix.' },
    ]);
  });

  it('tells the model what earlier attempts did: still failing, broke', async () => {
    const s = await play([{ answer: [tool('propose_patch', GOOD_PATCH)] }]);
    const history = [
      { problemId: PROBLEM.id, candidateId: 'c1', provider: 'llm', title: 'start at 2', outcome: 'not-accepted' as const, diff: '-let i = 1;\n+let i = 2;', verdict: { kind: 'no-effect' as const, fixed: [], broke: [], stillFailing: ['unit::test/total.test.ts::adds'], summary: '' } },
      { problemId: PROBLEM.id, candidateId: 'c2', provider: 'rules', title: 'rewrite', outcome: 'not-accepted' as const, diff: '', verdict: { kind: 'regressed' as const, fixed: [], broke: ['unit::test/other.test.ts::x'], stillFailing: [], summary: '' } },
      { problemId: PROBLEM.id, candidateId: 'c3', provider: 'llm', title: 'edit the test', outcome: 'rejected' as const, reason: 'touches a protected path: test/total.test.ts', diff: '' },
    ];
    await collect(provider(s.url).propose(PROBLEM, ctxFor(ROOT, { history })));

    const first: string = s.requests[0].body.messages[0].content[0].text;
    expect(first).toContain('1. start at 2 (llm): verdict no-effect; still failing: unit::test/total.test.ts::adds\n\n```diff\n-let i = 1;\n+let i = 2;\n```');
    expect(first).toContain('2. rewrite (rules): verdict regressed; broke: unit::test/other.test.ts::x');
    expect(first).toContain('3. edit the test (llm): rejected by the guard: touches a protected path: test/total.test.ts');
  });
});
