// The repair stage's public face: the built-in providers and the ones a policy asks for.
export { CodefixProvider, applyEdits, candidateId, quickFixCandidates } from './codefix.js';
export { RevertProvider } from './revert.js';
export { RulesProvider } from './rules.js';
export { SyntaxProvider } from './syntax.js';
export { PythonRulesProvider, PythonSyntaxProvider, pythonProviders } from './python/index.js';
export type { PatchProvider, ProposeContext, ProviderEvent, ProviderStart, ProviderSummary } from './types.js';

export { defaultProviders, providersFromPolicy } from './from-policy.js';
