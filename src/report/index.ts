export { renderIterationMarkdown, iterationJson, type ReportOptions } from './iteration.js';
export { SCHEMA_VERSION } from './iteration-json.js';
export { writeIterationReport } from './write.js';
export { isGreen, newlyPassing } from '../test-run.js';
export { writeRunSummary, renderSummaryMarkdown, renderSummaryHtml, progressChart, progressPoints, type SummaryInput } from './summary.js';
export { IterationReportSchema, iterationReportJsonSchema, type IterationReport } from './iteration-schema.js';
export { iterationReporter, summaryReporter, reportIteration, reportRunEnd, type Reporter } from './reporter.js';
