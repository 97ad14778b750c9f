// The providers a run uses when the caller names none. The TypeScript providers and the model's
// come through LazyProvider: their modules load ts-morph, which only a problem needs.
import type { Policy } from '../policy/schema.js';
import type { LlmFromPolicyOptions } from './llm/index.js';
import { LazyProvider } from './lazy.js';
import { pythonProviders } from './python/index.js';
import type { SuiteLike } from './python/interpreter.js';
import { RevertProvider } from './revert.js';
import type { PatchProvider } from './types.js';

/**
 * The providers a run uses when the caller names none, cheapest first. The Python ones ask the
 * interpreter the suites run (see suitePython); without suites, python3. The revert provider comes
 * last: undoing a commit is the bluntest of them, and asking for its culprit may cost test runs.
 */
export function defaultProviders(suites: readonly SuiteLike[] = []): PatchProvider[] {
  return [
    new LazyProvider('codefix', true, async () => new (await import('./codefix.js')).CodefixProvider()),
    new LazyProvider('syntax', true, async () => new (await import('./syntax.js')).SyntaxProvider()),
    new LazyProvider('rules', true, async () => new (await import('./rules.js')).RulesProvider()),
    ...pythonProviders(suites),
    new RevertProvider(),
  ];
}

/**
 * The providers of a run from its policy: the default ones, then the llm provider when it is on
 * (see llmProviderFromPolicy, loaded only then). Rejects with what llmProviderFromPolicy throws.
 */
export async function providersFromPolicy(policy: Policy, llm: LlmFromPolicyOptions = {}): Promise<PatchProvider[]> {
  const env = llm.env ?? process.env;
  const wanted = !llm.disabled && Boolean(llm.apiKey || env.ANTHROPIC_API_KEY || llm.replay);
  const model = wanted ? (await import('./llm/index.js')).llmProviderFromPolicy(policy, llm) : undefined;
  const builtIn = defaultProviders(policy.suites).filter((p) => policy.culprit.revert || !(p instanceof RevertProvider));
  return [...builtIn, ...(model ? [model] : [])];
}
