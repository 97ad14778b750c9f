export { classifyFailure } from './classify.js';
export { groupProblems, normalizeMessage, problemId } from './group.js';
