// The llm provider's public face, and the one call the loop/CLI needs to build it from a policy.
import type { Policy } from '../../policy/schema.js';
import { LlmBudget } from './budget.js';
import { LlmProvider, type LlmProviderOptions } from './provider.js';

export { LlmBudget, type LlmSpend, type UsageLike } from './budget.js';
export { LlmProvider, estimateTokens, type LlmEvent, type LlmProviderOptions } from './provider.js';
export { OutageError } from './client.js';
export { loadPrompts, PromptTemplate, PromptTemplateError, DEFAULT_PROMPTS_DIR, type Prompts } from './prompts.js';
export { candidateFrom, ProposePatchSchema, type ProposePatch } from './propose.js';
export { firstMessage, LLM_CONTEXT_BUDGET, type ContextMode } from './first-message.js';
export { TOOLS, runTool } from './tools.js';
export { recordingFetch, replayFetch, ReplayExhaustedError, type Exchange } from './recording.js';

export interface LlmFromPolicyOptions extends Omit<LlmProviderOptions, 'llm' | 'budget'> {
  /** `--no-llm`: never build the provider. */
  disabled?: boolean;
  /**
   * The policy file, when it was read from inside the repository: an `llm.baseURL` there could
   * come from anyone who can open a pull request, so the key is not sent to it without consent.
   */
  policyInRepository?: string;
  /** The user's consent, given outside the repository (`--trust-policy-endpoint`, FIXLOOP_TRUST_POLICY_ENDPOINT=1). */
  trustPolicyEndpoint?: boolean;
}

/**
 * The llm provider for a run, or undefined when it is off: `--no-llm`, or no ANTHROPIC_API_KEY
 * and no `--replay`. Its budget comes from the policy's `budget.maxTokens` / `budget.maxCostUSD`.
 * Throws PromptTemplateError (bad template) or ProviderFatalError (unpriced model under a cost budget).
 */
export function llmProviderFromPolicy(policy: Policy, options: LlmFromPolicyOptions = {}): LlmProvider | undefined {
  const env = options.env ?? process.env;
  if (options.disabled) return undefined;
  if (!options.apiKey && !env.ANTHROPIC_API_KEY && !options.replay) return undefined;
  const budget = new LlmBudget({ maxTokens: policy.budget.maxTokens, maxCostUSD: policy.budget.maxCostUSD, prices: policy.llm.prices });
  const trusted = options.trustPolicyEndpoint || env.FIXLOOP_TRUST_POLICY_ENDPOINT === '1';
  if (policy.llm.baseURL && options.policyInRepository && !trusted) {
    const notice = `llm.baseURL (${policy.llm.baseURL}) in ${options.policyInRepository} is ignored: the API key goes only to an endpoint named outside the repository (ANTHROPIC_BASE_URL or the SDK's baseURL). To use it, pass --trust-policy-endpoint or set FIXLOOP_TRUST_POLICY_ENDPOINT=1.`;
    return new LlmProvider({ ...options, llm: { ...policy.llm, baseURL: undefined }, budget, notices: [notice] });
  }
  return new LlmProvider({ ...options, llm: policy.llm, budget });
}
