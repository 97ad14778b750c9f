import { describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';

describe('the SDK entry point', () => {
  it('exports exactly the documented runtime API', () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        'BudgetExhaustedError', 'CodefixProvider', 'DEFAULT_PROTECT', 'IterationReportSchema', 'LlmProvider', 'LoopError', 'PolicyError',
        'PolicySchema', 'ProviderFatalError', 'RepoError', 'RevertProvider', 'RunnerRegistryError', 'knownFormats', 'registerRunner', 'RulesProvider', 'StopRequested', 'SyntaxProvider', 'VitestAdapter', 'discoverTests', 'listRuns', 'llmProviderFromPolicy', 'runStatus',
        'writeRunSummary',
        'applyPatch', 'classifyFailure', 'commitMessage', 'compareRuns', 'createLoop', 'defaultAdapters', 'defaultProviders', 'findCulprit',
        'groupProblems', 'guardPatch', 'iterationJson', 'loadPolicy', 'parsePolicy', 'patchDiff', 'policyJsonSchema',
        'renderIterationMarkdown', 'resumeLoop', 'revertPatch', 'runSuites', 'scopeFor', 'verifyCandidate', 'writeIterationReport',
      ].sort(),
    );
  });

  it('creates a loop lazily: nothing runs until run() or result is used', () => {
    const loop = sdk.createLoop({ cwd: '/nonexistent/repository' });
    expect(typeof loop.run).toBe('function');
    return expect(loop.result).rejects.toThrow('Directory not found: /nonexistent/repository');
  });
});
