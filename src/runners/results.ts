// Runner parsers count and name tests with the facts every part of fixloop shares.
export { countTotals, sumTotals, testId } from '../test-run.js';
