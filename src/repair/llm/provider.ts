// The llm provider: a small agent. It sends the problem, answers the model's read-only tool calls,
// and yields a Candidate for each valid propose_patch, until maxTurns answers are spent.
import Anthropic from '@anthropic-ai/sdk';
import type { ContextBudget } from '../../analysis/index.js';
import type { Candidate, Problem } from '../../model.js';
import { LlmSchema, type LlmPolicy } from '../../policy/schema.js';
import { ProviderFatalError } from '../errors.js';
import type { PatchProvider, ProposeContext, ProviderEvent, ProviderStart, ProviderSummary } from '../types.js';
import { LlmBudget } from './budget.js';
import { OutageError, send, StreamActivity, type MessageParams } from './client.js';
import { firstMessage, verdictOf, type ContextMode } from './first-message.js';
import { secretValues } from '../../secrets.js';
import { denyMatcher, redactor } from './paths.js';
import { loadPrompts, type Prompts } from './prompts.js';
import { candidateFrom, type Proposal } from './propose.js';
import { recordingFetch, replayFetch } from './recording.js';
import { runTool, TOOLS } from './tools.js';

export interface LlmProviderOptions {
  /** The policy's `llm` section (defaults filled in when absent). */
  llm?: Partial<LlmPolicy>;
  /** Shared by every provider of the run: `budget.maxTokens`, `budget.maxCostUSD`. */
  budget?: LlmBudget;
  /** Defaults to ANTHROPIC_API_KEY; never read from the policy. */
  apiKey?: string;
  /** Overrides llm.baseURL and ANTHROPIC_BASE_URL. */
  baseURL?: string;
  /** Save every exchange under this directory (redacted). */
  record?: string;
  /** Serve the exchanges saved under this directory instead of calling the network. */
  replay?: string;
  promptsDir?: string;
  /** First backoff of a broken stream's retry, ms (tests shorten it). */
  retryBaseMs?: number;
  /** How long an outage pauses the provider when no iteration starts first (iterationStart() ends a pause). */
  pauseMs?: number;
  /** The code shown in the first message; "whole-file" exists for the benchmark. */
  contextMode?: ContextMode;
  /** How much ts-morph context the first message carries (default LLM_CONTEXT_BUDGET). */
  contextBudget?: ContextBudget;
  /** Observes requests, usage and outages (the loop can turn these into events or report lines). */
  onEvent?: (event: LlmEvent) => void;
  /** Said once when the run starts (e.g. why an endpoint was ignored). */
  notices?: string[];
  env?: NodeJS.ProcessEnv;
}

export type LlmEvent =
  | { type: 'llm:request'; problemId: string; turn: number }
  | { type: 'llm:usage'; problemId: string; turn: number; usage: Anthropic.Usage; costUSD: number }
  | { type: 'llm:invalid-call'; problemId: string; turn: number; tool: string; reason: string }
  | { type: 'llm:outage'; problemId: string; message: string; status?: number }
  /** A problem the provider did not send because an earlier outage paused it. */
  | { type: 'llm:paused'; problemId: string; reason: string }
  | { type: 'llm:gave-up'; problemId: string; reason: string };

export class LlmProvider implements PatchProvider {
  readonly name = 'llm';
  readonly policy: LlmPolicy;
  readonly budget: LlmBudget;
  /** Why the provider is paused (an outage), until resume() or pauseMs. */
  paused?: { reason: string; until: number };
  private readonly client: Anthropic;
  private readonly activity = new StreamActivity();
  private readonly prompts: Prompts;
  private readonly isDenied: (rel: string) => boolean;
  private readonly redact: (text: string) => string;
  private readonly options: LlmProviderOptions;

  constructor(options: LlmProviderOptions = {}) {
    this.options = options;
    this.policy = LlmSchema.parse(options.llm ?? {});
    const env = options.env ?? process.env;
    const apiKey = options.apiKey ?? env.ANTHROPIC_API_KEY ?? (options.replay ? 'replay' : undefined);
    if (!apiKey) throw new ProviderFatalError(this.name, 'ANTHROPIC_API_KEY is not set: the llm provider needs it (or --no-llm)');
    this.prompts = loadPrompts(options.promptsDir);
    this.budget = options.budget ?? new LlmBudget({ prices: this.policy.prices });
    if (this.budget.options.maxCostUSD !== undefined && !this.budget.priceOf(this.policy.model)) {
      throw new ProviderFatalError(this.name, `budget.maxCostUSD is set but llm.prices has no price for model "${this.policy.model}"`);
    }
    this.isDenied = denyMatcher(this.policy.readDenylist);
    // The key, and every other secret value of the environment, never reach the model.
    this.redact = redactor(this.policy.secretPatterns, [apiKey, ...secretValues(env)]);
    const fetch = options.replay ? replayFetch(options.replay) : options.record ? recordingFetch(options.record, this.redact) : undefined;
    this.client = new Anthropic({
      apiKey,
      // The operator's endpoint first: a policy names one only when the SDK caller or the user trusted it.
      baseURL: options.baseURL ?? env.ANTHROPIC_BASE_URL ?? this.policy.baseURL,
      maxRetries: this.policy.maxRetries,
      timeout: this.policy.timeoutSec * 1000,
      fetch: this.activity.wrap(fetch ?? globalThis.fetch),
    });
  }

  /** Budgets already spent stay spent: a resumed run cannot exceed what the first process was allowed. */
  start(run: ProviderStart): void {
    for (const message of this.options.notices ?? []) run.emit?.({ type: 'llm:notice', problemId: '', kind: 'endpoint-ignored', message });
    for (const e of run.earlier) {
      if (e.type !== 'llm:usage') continue;
      this.budget.record(this.policy.model, { input_tokens: e.inputTokens, output_tokens: e.outputTokens, cache_read_input_tokens: e.cacheReadTokens, cache_creation_input_tokens: e.cacheWriteTokens });
    }
  }

  /** An outage pauses the model for the rest of an iteration, not for the run. */
  iterationStart(): void {
    this.resume();
  }

  /** What the model cost, when it was asked at all. */
  stop(): ProviderSummary | undefined {
    return this.budget.spent.requests > 0 ? { llm: { ...this.budget.spent, cacheHitShare: this.budget.cacheHitShare } } : undefined;
  }

  /** Ends a pause. */
  resume(): void {
    this.paused = undefined;
  }

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    if (this.paused && Date.now() < this.paused.until) {
      this.emit(ctx, { type: 'llm:paused', problemId: problem.id, reason: this.paused.reason });
      return;
    }
    this.paused = undefined;
    const { model, maxTurns } = this.policy;
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: this.prompts.system.render({} as Record<never, string>), cache_control: { type: 'ephemeral' } }];
    // The breakpoint on the last tool caches system + tools, the prefix every request shares.
    const tools = TOOLS.map((t, i) => (i === TOOLS.length - 1 ? { ...t, cache_control: { type: 'ephemeral' as const } } : t));
    const first = this.redact(firstMessage(this.prompts, problem, ctx, this.options.contextMode, this.options.contextBudget));
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: first }] }];
    const toolCtx = { root: ctx.root, problem, isDenied: this.isDenied, redact: this.redact };

    for (let turn = 1; turn <= maxTurns; turn++) {
      if (ctx.signal?.aborted) return;
      const params: MessageParams = { model, max_tokens: this.policy.maxTokens, system, tools, messages };
      // SDK 1.12 no longer types `temperature`; the API still takes it for the models that allow it.
      if (this.policy.temperature !== undefined) Object.assign(params, { temperature: this.policy.temperature });
      this.budget.check(model, estimateTokens(params));
      this.emit(ctx, { type: 'llm:request', problemId: problem.id, turn });
      let response: Anthropic.Message;
      try {
        response = await send(this.client, params, {
          streamRetries: this.policy.maxRetries,
          idleTimeoutSec: this.policy.idleTimeoutSec,
          timeoutSec: this.policy.timeoutSec,
          activity: this.activity,
          retryBaseMs: this.options.retryBaseMs ?? 500,
          signal: ctx.signal,
          provider: this.name,
        });
      } catch (err) {
        if (!(err instanceof OutageError)) throw err;
        // An outage outlasting the retries will not end within this iteration: stop asking, say why.
        this.paused = { reason: err.message, until: Date.now() + (this.options.pauseMs ?? 10 * 60_000) };
        this.emit(ctx, { type: 'llm:outage', problemId: problem.id, message: err.message, status: err.status });
        return;
      }
      const costUSD = this.budget.record(model, response.usage);
      this.emit(ctx, { type: 'llm:usage', problemId: problem.id, turn, usage: response.usage, costUSD });
      const content = Array.isArray(response.content) ? response.content : [];
      messages.push({ role: 'assistant', content });

      const calls = content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (calls.length === 0) {
        messages.push({ role: 'user', content: [{ type: 'text', text: this.prompts.nudge.render({ turnsLeft: String(maxTurns - turn) }) }] });
        continue;
      }
      const results: Anthropic.ToolResultBlockParam[] = [];
      const candidates: Candidate[] = [];
      for (const call of calls) {
        if (call.name === 'propose_patch') {
          const judged = this.judge(call.input, problem, ctx);
          if (judged.ok) candidates.push(judged.candidate);
          else this.emit(ctx, { type: 'llm:invalid-call', problemId: problem.id, turn, tool: call.name, reason: judged.reason });
          results.push({ type: 'tool_result', tool_use_id: call.id, content: judged.ok ? 'Received; fixloop will verify it.' : judged.reason, ...(judged.ok ? {} : { is_error: true }) });
          continue;
        }
        const answer = runTool(call.name, call.input, toolCtx);
        results.push({ type: 'tool_result', tool_use_id: call.id, content: answer.text, ...(answer.error ? { is_error: true } : {}) });
      }
      if (candidates.length) {
        // The verdict is the loop's to find; a rejected candidate comes back through ctx.history next time.
        for (const candidate of candidates) yield candidate;
        return;
      }
      messages.push({ role: 'user', content: results });
    }
    this.emit(ctx, { type: 'llm:gave-up', problemId: problem.id, reason: `no valid propose_patch in ${maxTurns} answers (llm.maxTurns)` });
  }

  /** A propose_patch call checked against the schema, the files, and the patches already tried. */
  private judge(input: unknown, problem: Problem, ctx: ProposeContext): Proposal {
    const proposal = candidateFrom(input, ctx.root, problem, this.name);
    if (!proposal.ok) return proposal;
    const before = ctx.history.findIndex((a) => a.candidateId === proposal.candidate.id && !a.cutShort);
    // The same edit would meet the same verdict; the model is told it and asked for another.
    if (before >= 0) return { ok: false, reason: `This exact patch was already tried (attempt ${before + 1}): ${verdictOf(ctx.history[before])}. Propose a different fix.` };
    return proposal;
  }

  private emit(ctx: ProposeContext, event: LlmEvent): void {
    this.options.onEvent?.(event);
    const loopEvent = asProviderEvent(event);
    if (loopEvent) ctx.emit?.(loopEvent);
  }
}

/** The provider's own events, as the run's events: usage in plain numbers, notices as text (requests are not told). */
export function asProviderEvent(e: LlmEvent): ProviderEvent | undefined {
  if (e.type === 'llm:request') return undefined;
  if (e.type === 'llm:usage') {
    const u = e.usage;
    return {
      type: 'llm:usage',
      problemId: e.problemId,
      turn: e.turn,
      inputTokens: u.input_tokens ?? 0,
      outputTokens: u.output_tokens ?? 0,
      cacheReadTokens: u.cache_read_input_tokens ?? 0,
      cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
      costUSD: e.costUSD,
    };
  }
  const message = e.type === 'llm:invalid-call' ? `${e.tool}: ${e.reason}` : e.type === 'llm:outage' ? e.message : e.reason;
  return { type: 'llm:notice', problemId: e.problemId, kind: e.type.slice(4) as 'outage' | 'paused' | 'invalid-call' | 'gave-up', message };
}

/** Prompt tokens of a request, roughly (4 characters a token): what the budget checks before sending. */
export function estimateTokens(params: MessageParams): number {
  return Math.ceil(JSON.stringify([params.system, params.tools, params.messages]).length / 4);
}
