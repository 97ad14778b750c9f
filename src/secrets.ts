// The values of the user's secrets never leave in what fixloop stores or sends: the journal, logs,
// reports, commit messages and what the model is told. A test that prints its environment, or a
// failure message that quotes a token, is stored with the value replaced by [REDACTED].
import { DEFAULT_SECRET_PATTERNS } from './policy/schema.js';
import { isSecret } from './runners/environment.js';

export const REDACTED = '[REDACTED]';

/** The values of the variables in `env` that are secrets (see isSecret), longest first. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => value !== undefined && value.length >= 8 && isSecret(name, value))
    .map(([, value]) => value!);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** A function that replaces every secret value of `env` and every token-shaped string with [REDACTED]. */
export function secretRedactor(env: NodeJS.ProcessEnv = process.env, patterns: string[] = DEFAULT_SECRET_PATTERNS): (text: string) => string {
  const values = secretValues(env);
  const regexes = patterns.map((p) => new RegExp(p, 'g'));
  return (text) => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    for (const re of regexes) out = out.replace(re, REDACTED);
    return out;
  };
}

/** Every string inside `value` (objects and arrays, recursively) through `redact`. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  return value;
}
