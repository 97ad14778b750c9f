import type { Failure, FailureKind } from '../model.js';
import { TEST_ENVIRONMENT_ERRORS as ENVIRONMENT } from '../runners/missing.js';

// vitest "Test timed out in 300ms.", node:test "test timed out after 300ms", jest "Exceeded timeout of 300 ms for a test".
const TIMEOUT = /\b(test|hook) timed out\b|\bExceeded timeout of \d+ ?ms\b/i;
const MODULE_LOAD =
  /Cannot find (module|package)|Failed to load url|Failed to resolve import|does not provide an export named|is not exported by|ERR_MODULE_NOT_FOUND|Failed to fetch dynamically imported module|No module named|cannot import name|no required module provides package|is not in (GOROOT|std)\b|could not import \S+ \(/;

const BY_NAME: Record<string, FailureKind> = {
  SyntaxError: 'syntax',
  ReferenceError: 'reference',
  TypeError: 'type',
  // Python, as pytest reports it.
  IndentationError: 'syntax',
  TabError: 'syntax',
  ImportError: 'module-load',
  ModuleNotFoundError: 'module-load',
  NameError: 'reference',
  UnboundLocalError: 'reference',
};

// The last alternatives are Go's compiler's, for a package that does not build: "syntax error:
// unexpected …", "undefined: Triple", "cannot use x (…) as string value".
const BY_MESSAGE: [FailureKind, RegExp][] = [
  ['syntax', /Unexpected token|Transform failed|PARSE_ERROR|invalid JS syntax|Failed to parse source|\bExpected [`'"]|^syntax error: /],
  ['reference', /\bis not defined\b|Cannot access '[^']+' before initialization|^undefined: [\w.]+$/],
  ['type', /is not a (function|constructor)|is not iterable|Cannot read propert(y|ies) of (undefined|null)|^cannot use .+ as .+ value|^invalid operation: /],
  ['assertion', /^(Error: )?(expected\b|expect\()/],
];

/**
 * What kind of failure this is, from the error class and message the runner printed.
 * The order matters: an assertion quotes arbitrary values, so its class decides before any
 * message pattern; a missing export reaches Node as a SyntaxError that no syntax fix repairs.
 */
export function classifyFailure(failure: Failure): FailureKind {
  const message = failure.message;
  // A load failure read from JSON alone lacks the class name: the message still tells.
  const bare = message.replace(/^(?:[A-Z][\w$]*(?:Error|Exception)|Error)(?: \[[\w-]+\])?:\s*/, '');
  if (TIMEOUT.test(message)) return 'timeout';
  if (failure.errorName === 'AssertionError' || message.startsWith('AssertionError')) return 'assertion';
  if (ENVIRONMENT.test(message)) return 'environment';
  if (MODULE_LOAD.test(message)) return 'module-load';
  const named = failure.errorName ? BY_NAME[failure.errorName] : undefined;
  if (named) return named;
  for (const [kind, pattern] of BY_MESSAGE) {
    if (pattern.test(message) || pattern.test(bare)) return kind;
  }
  return 'unknown';
}
