import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/index.js';
import { ProviderFatalError } from '../../src/repair/errors.js';
import { llmProviderFromPolicy } from '../../src/repair/llm/index.js';

const suites = [{ name: 'unit', command: 'npx vitest run' }];

describe('llmProviderFromPolicy', () => {
  it('builds nothing without ANTHROPIC_API_KEY, or with --no-llm', () => {
    const policy = parsePolicy({ suites }, 'p.json');
    expect(llmProviderFromPolicy(policy, { env: {} })).toBeUndefined();
    expect(llmProviderFromPolicy(policy, { env: { ANTHROPIC_API_KEY: 'k' }, disabled: true })).toBeUndefined();
  });

  it('takes the model, limits and budget from the policy and the key from the environment', () => {
    const policy = parsePolicy({ suites, budget: { maxTokens: 50_000, maxCostUSD: 2 }, llm: { model: 'claude-haiku-4-5', maxTurns: 3 } }, 'p.json');
    const llm = llmProviderFromPolicy(policy, { env: { ANTHROPIC_API_KEY: 'k' } })!;
    expect(llm.name).toBe('llm');
    expect(llm.policy).toMatchObject({ model: 'claude-haiku-4-5', maxTurns: 3 });
    expect(llm.budget.options).toMatchObject({ maxTokens: 50_000, maxCostUSD: 2 });
  });

  it('refuses a cost budget for a model without a price, at start-up', () => {
    const policy = parsePolicy({ suites, budget: { maxCostUSD: 2 }, llm: { model: 'my-gateway-model' } }, 'p.json');
    expect(() => llmProviderFromPolicy(policy, { env: { ANTHROPIC_API_KEY: 'k' } })).toThrow(ProviderFatalError);
    expect(() => llmProviderFromPolicy(policy, { env: { ANTHROPIC_API_KEY: 'k' } })).toThrow('budget.maxCostUSD is set but llm.prices has no price for model "my-gateway-model"');
  });

  it('names the policy path of a bad secret pattern or an API key in the policy', () => {
    expect(() => parsePolicy({ suites, llm: { secretPatterns: ['(unclosed'] } }, 'p.json')).toThrow('Invalid policy p.json:\n  - llm.secretPatterns.0: not a valid regular expression');
    expect(() => parsePolicy({ suites, llm: { apiKey: 'sk-ant-xyz' } }, 'p.json')).toThrow('Invalid policy p.json:\n  - llm.apiKey: unknown key');
  });
});
