// Running chosen tests by name: the patterns each runner matches names with, and what a runner
// that cannot select by name says instead.
import type { TestSelection } from './types.js';

/** Above this many tests (or this long a pattern) a name filter costs more to read than it saves. */
export const MAX_SELECTED = 200;
const MAX_PATTERN = 16_000;

export const NAME_WARNING = 'This runner cannot be told which tests to run by name: fixloop ran their files whole.';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Titles in our full names are joined by " > "; vitest and jest match names joined by spaces. */
export function spacedName(fullName: string): string {
  return fullName.split(' > ').join(' ');
}

/** A name's own title: the last part of its full name. */
export function leafName(fullName: string): string {
  return fullName.split(' > ').pop() ?? fullName;
}

/**
 * A regular expression (source) matching exactly the given names, or undefined when there are too
 * many to be worth it (the files then run whole).
 */
export function exactNames(names: string[]): string | undefined {
  const unique = [...new Set(names)].sort();
  if (unique.length === 0 || unique.length > MAX_SELECTED) return undefined;
  const pattern = `^(?:${unique.map(escapeRegExp).join('|')})$`;
  return pattern.length > MAX_PATTERN ? undefined : pattern;
}

/** The key a run's test and a selection share. */
export function selectionKey(test: TestSelection): string {
  return `${test.file}\u0000${test.fullName}`;
}

/** Said when a run asked for in-run retries of a runner that has none: the caller re-runs in new runs. */
export function noRetryWarning(runner: string): string {
  return `${runner} cannot retry a failing test within the run: fixloop re-runs failing tests in new runs instead.`;
}
