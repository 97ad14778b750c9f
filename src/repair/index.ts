import { CodefixProvider } from './codefix.js';
import { RulesProvider } from './rules.js';
import { SyntaxProvider } from './syntax.js';
import type { PatchProvider } from './types.js';

export { CodefixProvider, applyEdits, candidateId } from './codefix.js';
export { RulesProvider } from './rules.js';
export { SyntaxProvider } from './syntax.js';
export type { PatchProvider, ProposeContext } from './types.js';

/** The providers a run uses when the caller names none, cheapest first. */
export function defaultProviders(): PatchProvider[] {
  return [new CodefixProvider(), new SyntaxProvider(), new RulesProvider()];
}
