export { findCulprit, probeTarget, type FindOptions } from './find.js';
export { commitInfo, firstParents, fileAt, existingAt, type CommitInfo } from './history.js';
export { failingPath, importedPath } from './path.js';
export { probeCommit, outcomeOf, type ProbeTarget, type ProbeOptions } from './probe.js';
export { searchFirstBad, type Outcome, type SearchResult } from './search.js';
