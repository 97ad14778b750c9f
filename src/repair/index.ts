import type { Policy } from '../policy/schema.js';
import { CodefixProvider } from './codefix.js';
import { llmProviderFromPolicy, type LlmFromPolicyOptions } from './llm/index.js';
import { RevertProvider } from './revert.js';
import { RulesProvider } from './rules.js';
import { pythonProviders } from './python/index.js';
import type { SuiteLike } from './python/interpreter.js';
import { SyntaxProvider } from './syntax.js';
import type { PatchProvider } from './types.js';

export { CodefixProvider, applyEdits, candidateId, quickFixCandidates } from './codefix.js';
export { RevertProvider } from './revert.js';
export { RulesProvider } from './rules.js';
export { SyntaxProvider } from './syntax.js';
export { PythonRulesProvider, PythonSyntaxProvider, pythonProviders } from './python/index.js';
export type { PatchProvider, ProposeContext, ProviderEvent, ProviderStart, ProviderSummary } from './types.js';

/**
 * The providers a run uses when the caller names none, cheapest first. The Python ones ask the
 * interpreter the suites run (see suitePython); without suites, python3. The revert provider comes
 * last: undoing a commit is the bluntest of them, and asking for its culprit may cost test runs.
 */
export function defaultProviders(suites: readonly SuiteLike[] = []): PatchProvider[] {
  return [new CodefixProvider(), new SyntaxProvider(), new RulesProvider(), ...pythonProviders(suites), new RevertProvider()];
}

/**
 * The providers of a run from its policy: the default ones, then the llm provider when it is on
 * (see llmProviderFromPolicy). Throws what llmProviderFromPolicy throws.
 */
export function providersFromPolicy(policy: Policy, llm: LlmFromPolicyOptions = {}): PatchProvider[] {
  const model = llmProviderFromPolicy(policy, llm);
  const builtIn = defaultProviders(policy.suites).filter((p) => policy.culprit.revert || !(p instanceof RevertProvider));
  return [...builtIn, ...(model ? [model] : [])];
}
