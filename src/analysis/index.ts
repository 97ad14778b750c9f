export { AnalysisProject, projectFor, forgetProject, toDiagnostic, MAX_FILE_BYTES, type DiagnosticsResult } from './project.js';
export { contextFor, DEFAULT_BUDGET, type ContextBudget } from './context.js';
export { enclosingAt, positionOf, type Enclosing } from './enclosing.js';
