import { CodefixProvider } from './codefix.js';
import type { PatchProvider } from './types.js';

export { CodefixProvider, applyEdits, candidateId } from './codefix.js';
export type { PatchProvider, ProposeContext } from './types.js';

/** The providers a run uses when the caller names none, cheapest first. */
export function defaultProviders(): PatchProvider[] {
  return [new CodefixProvider()];
}
