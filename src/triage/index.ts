export { classifyFailure } from './classify.js';
export { groupProblems, normalizeMessage, problemId } from './group.js';
export { failureKind, locateInMessage, tsDiagnostics, tsKind, type TsDiagnostic } from './diagnostics.js';
