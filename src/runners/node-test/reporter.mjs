// A reporter for `node --test` that writes one JSON object per line: every test with its file,
// line, full name and error, and every file that failed before running a test with what it
// printed on stderr. The built-in JUnit reporter says only "test failed" for such a file.
// Loaded by NodeTestAdapter with --test-reporter=<this file> --test-reporter-destination=<file>.
import { resolve } from 'node:path';
import { inspect } from 'node:util';

/** The real error: node wraps a test's error in ERR_TEST_FAILURE and keeps it as the cause. */
function errorOf(error) {
  if (!error) return undefined;
  const real = error.code === 'ERR_TEST_FAILURE' && error.cause !== undefined ? error.cause : error;
  const out = { failureType: error.failureType };
  if (real instanceof Error || (real && typeof real === 'object' && 'message' in real)) {
    out.name = real.name;
    out.message = String(real.message);
    if (real.code) out.code = String(real.code);
    if (real.stack) out.stack = String(real.stack);
    // node:assert's AssertionError carries both values: kept as node prints them.
    if (real.code === 'ERR_ASSERTION' && 'expected' in real) {
      out.expected = inspect(real.expected, { depth: 6 });
      out.actual = inspect(real.actual, { depth: 6 });
    }
  } else {
    out.message = String(real);
  }
  return out;
}

/**
 * The wrapper node puts around a whole file is named by the file: its absolute path up to node 20,
 * its path relative to where node runs (the reporter's cwd) from node 22.
 */
function isFileWrapper(data) {
  if (!data.file || typeof data.name !== 'string') return false;
  if (data.name === data.file) return true;
  return data.line === 1 && data.column === 1 && resolve(data.name) === data.file;
}

/** Node 22 names the file of a file's output relative to where it runs: made absolute, as the tests' are. */
function absolute(file) {
  return typeof file === 'string' && !file.startsWith('file:') ? resolve(file) : file;
}

export default async function* fixloopReporter(source) {
  // Per file, the names of the tests being reported, by nesting level: test:start arrives in
  // declaration order just before a test's own result and its subtests'.
  const open = new Map();
  // Files that reported a test of their own: the wrapper of any other file is a test to node.
  const withTests = new Set();
  for await (const { type, data } of source) {
    if (type === 'test:start') {
      const names = (open.get(data.file) ?? []).slice(0, data.nesting);
      names[data.nesting] = data.name;
      open.set(data.file, names);
    } else if (type === 'test:pass' || type === 'test:fail') {
      if (data.details?.type === 'suite') continue;
      const error = errorOf(data.details?.error);
      if (data.nesting === 0 && isFileWrapper(data)) {
        // The wrapper node puts around a whole file (run in its own process): it fails on its
        // own only when the file did not run to the end, e.g. it did not load.
        if (type === 'test:fail') yield `${JSON.stringify({ type: 'file', file: data.file, error })}\n`;
        // A file that ran without declaring a test (uuid's test/test_constants.js, matched by
        // its glob) is one passing test in node's own count: it is one here too.
        else if (!withTests.has(data.file)) yield `${JSON.stringify({ type: 'file-passed', file: data.file })}\n`;
        continue;
      }
      withTests.add(data.file);
      const names = (open.get(data.file) ?? []).slice(0, data.nesting);
      names[data.nesting] = data.name;
      const status = data.skip ? 'skipped' : data.todo ? 'todo' : type === 'test:pass' ? 'passed' : 'failed';
      const record = { type: 'test', file: data.file, line: data.line, column: data.column, names, status };
      if (data.details?.duration_ms !== undefined) record.durationMs = data.details.duration_ms;
      if (status === 'failed' && error) record.error = error;
      yield `${JSON.stringify(record)}\n`;
    } else if (type === 'test:stderr' || type === 'test:stdout') {
      yield `${JSON.stringify({ type: type.slice(5), file: absolute(data.file), text: data.message })}\n`;
    } else if (type === 'test:diagnostic' && data.nesting === 0) {
      yield `${JSON.stringify({ type: 'diagnostic', file: data.file, message: data.message })}\n`;
    }
  }
}
