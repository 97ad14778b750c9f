// Errors a provider throws when going on would be wrong for the whole run, not just for one
// problem. The loop catches ordinary provider errors and asks the next provider; these two stop it.

/** The provider cannot work at all (key rejected, no permission, unknown model or endpoint): stop the run and say why. */
export class ProviderFatalError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    /** HTTP status that said so, when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderFatalError';
  }
}

/** A policy budget (`budget.maxTokens`, `budget.maxCostUSD`) is spent; thrown before the request that would exceed it. */
export class BudgetExhaustedError extends Error {
  constructor(
    /** The policy field, e.g. "maxCostUSD". */
    readonly budget: 'maxTokens' | 'maxCostUSD',
    readonly limit: number,
    readonly spent: number,
  ) {
    super(`budget.${budget} is spent: ${formatSpent(budget, spent)} of ${formatSpent(budget, limit)}; no further LLM requests are sent`);
    this.name = 'BudgetExhaustedError';
  }
}

function formatSpent(budget: 'maxTokens' | 'maxCostUSD', value: number): string {
  return budget === 'maxCostUSD' ? `$${value.toFixed(4)}` : `${Math.round(value)} tokens`;
}
