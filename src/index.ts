// fixloop's public face: re-exports only.
export type * from './model.js';
export { createLoop, resumeLoop, LoopError, runStatus, listRuns, StopRequested, type Loop, type LoopOptions, type RunStatus, type Approver, type ApprovalRequest } from './loop/index.js';
export { loadPolicy, parsePolicy, policyJsonSchema, PolicyError, PolicySchema, DEFAULT_PROTECT, type Policy, type PolicyInput, type SuiteConfig } from './policy/index.js';
export { runSuites, discoverTests, defaultAdapters, VitestAdapter, registerRunner, knownFormats, RunnerRegistryError, type TestRunnerAdapter, type RunOptions, type RunnerDefinition, type ScriptUse, type DiscoverContext } from './runners/index.js';
export { groupProblems, classifyFailure } from './triage/index.js';
export { findCulprit, type FindOptions } from './culprit/index.js';
export { CodefixProvider, SyntaxProvider, RulesProvider, RevertProvider, defaultProviders, type PatchProvider, type ProposeContext } from './repair/index.js';
export { LlmProvider, llmProviderFromPolicy, type LlmEvent } from './repair/llm/index.js';
export { BudgetExhaustedError, ProviderFatalError } from './repair/errors.js';
export { applyPatch, revertPatch, patchDiff, guardPatch } from './patch/index.js';
export { verifyCandidate, compareRuns } from './verify/index.js';
export { commitMessage, scopeFor, RepoError } from './vcs/index.js';
export { renderIterationMarkdown, iterationJson, writeIterationReport, writeRunSummary, IterationReportSchema, type Reporter } from './report/index.js';
