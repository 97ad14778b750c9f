// Token and cost accounting for every LLM request of a run. One meter is shared by every provider
// instance of a run, so the policy's budget is the run's, not one conversation's.
import type { LlmPrice } from '../../policy/schema.js';
import { BudgetExhaustedError } from '../errors.js';
import type { LlmSpend as ModelLlmSpend } from '../../model.js';

/** The usage fields of a Messages API response (the SDK does not validate them, so all may be missing). */
export interface UsageLike {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** What was spent so far; the run summary adds the cache-hit share (model.ts LlmSpend). */
export type LlmSpend = Omit<ModelLlmSpend, 'cacheHitShare'>;

export interface LlmBudgetOptions {
  maxTokens?: number;
  maxCostUSD?: number;
  prices: Record<string, LlmPrice>;
}

export class LlmBudget {
  readonly spent: LlmSpend = { requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUSD: 0 };

  constructor(readonly options: LlmBudgetOptions) {}

  /** Every token billed, whatever its kind. */
  get tokens(): number {
    const s = this.spent;
    return s.inputTokens + s.outputTokens + s.cacheReadTokens + s.cacheWriteTokens;
  }

  /** Share of prompt tokens served from the cache: what prompt caching saved. */
  get cacheHitShare(): number {
    const s = this.spent;
    const prompt = s.inputTokens + s.cacheReadTokens + s.cacheWriteTokens;
    return prompt === 0 ? 0 : s.cacheReadTokens / prompt;
  }

  /**
   * Throws BudgetExhaustedError when a limit is reached, or would be by a request of about
   * `estimatedTokens` prompt tokens: called before each request, so nothing is sent past it.
   */
  check(model: string, estimatedTokens = 0): void {
    const { maxTokens, maxCostUSD } = this.options;
    if (maxTokens !== undefined && this.tokens + estimatedTokens > maxTokens) {
      throw new BudgetExhaustedError('maxTokens', maxTokens, this.tokens);
    }
    if (maxCostUSD !== undefined) {
      const price = this.priceOf(model);
      const next = price ? (estimatedTokens * price.inputPerMTok) / 1e6 : 0;
      if (this.spent.costUSD + next > maxCostUSD) throw new BudgetExhaustedError('maxCostUSD', maxCostUSD, this.spent.costUSD);
    }
  }

  /** Adds one response's usage; returns its cost in USD (0 for a model without a price). */
  record(model: string, usage: UsageLike | undefined): number {
    const n = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
    const input = n(usage?.input_tokens);
    const output = n(usage?.output_tokens);
    const read = n(usage?.cache_read_input_tokens);
    const write = n(usage?.cache_creation_input_tokens);
    const price = this.priceOf(model);
    const cost = price
      ? (input * price.inputPerMTok + output * price.outputPerMTok + read * price.cacheReadPerMTok + write * price.cacheWritePerMTok) / 1e6
      : 0;
    const s = this.spent;
    s.requests++;
    s.inputTokens += input;
    s.outputTokens += output;
    s.cacheReadTokens += read;
    s.cacheWriteTokens += write;
    s.costUSD += cost;
    return cost;
  }

  /** The model's price; a dated id (claude-sonnet-4-5-20250929) falls back to its undated entry. */
  priceOf(model: string): LlmPrice | undefined {
    const prices = this.options.prices;
    return prices[model] ?? prices[model.replace(/-\d{8}$/, '')];
  }
}
