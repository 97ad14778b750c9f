export { classifyFailure } from './classify.js';
export { groupProblems, normalizeMessage, problemId } from './group.js';
export { failureKind, failureText, locateInMessage, tsDiagnostics, tsKind, type TsDiagnostic } from './diagnostics.js';
