// Reads JUnit XML, as written by pytest (--junitxml), node's junit reporter, mocha's `xunit`
// reporter, mocha-junit-reporter and gotestsum, into the shared model. The file a test lives in
// comes from the testcase's (or its suite's) `file` attribute when the writer gives one, else from
// its classname (gotestsum's: the Go package).
import { XMLParser } from 'fast-xml-parser';
import type { Failure, HookName, LoadFailure, SourceLocation, TestCase, TestStatus } from '../../model.js';
import { mochaHook } from '../hooks.js';
import { errorNameOf, framesOf, fromErrorLine, headline, isRepoFile, pickLocation, relativizeText, stripAnsi, toRepoPath, type PathContext } from '../error-text.js';
import { pythonError, pythonFrames } from '../pytest/text.js';
import { testId } from '../results.js';

export interface JunitResults {
  tests: TestCase[];
  loadFailures: LoadFailure[];
}

export interface JunitParseOptions extends PathContext {
  suite: string;
  /** pytest's xunit1: 0-based `line`, classnames that are module paths, collection errors. */
  dialect?: 'generic' | 'pytest';
}

interface Problem {
  '@_message'?: string;
  '@_type'?: string;
  '#text'?: string;
}
interface XmlCase {
  '@_name'?: string;
  '@_classname'?: string;
  '@_file'?: string;
  '@_line'?: string;
  '@_time'?: string;
  // A bare string when the element has text and no attribute (mocha's xunit: <failure>text</failure>).
  failure?: (Problem | string)[];
  error?: (Problem | string)[];
  skipped?: (Problem | string)[];
  'system-err'?: string[];
}
interface XmlSuite {
  '@_name'?: string;
  '@_file'?: string;
  testsuite?: XmlSuite[];
  testcase?: XmlCase[];
}

const ARRAYS = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped', 'system-err']);
const xml = new XMLParser({
  ignoreAttributes: false,
  // Prefixed: node's reporter writes a `failure` attribute next to the <failure> element.
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

// A testcase named after a test file: the writer's way of saying the file itself failed (node's junit reporter).
const FILE_NAME = /^(?:\/|\.{0,2}\/?[\w@.-]+\/).*\.(?:[cm]?[jt]sx?|py)$/;
// Suites that stand for the whole run: mocha's root suite, and the name both mocha writers give the run.
const RUN_NAMES = new Set(['Root Suite', 'Mocha Tests']);
// What both Go writers (gotestsum, go-junit-report) put in `message`: the test's output is the body.
const GO_PLACEHOLDER = 'Failed';
// go test -v's framing of a test's output, which says nothing about why it failed.
const GO_FRAMING = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\s|--- (?:FAIL|PASS|SKIP):)/;
// A frame of a Go traceback: "\t/abs/stock/stock.go:8 +0x2e".
const GO_FRAME = /^\t(\/\S+\.go):(\d+)(?: \+0x[\da-f]+)?\s*$/;

const asProblem = (problem: Problem | string | undefined): Problem | undefined =>
  typeof problem === 'string' ? { '#text': problem } : problem;

export function parseJunitXml(text: string, opts: JunitParseOptions): JunitResults {
  let doc: { testsuites?: XmlSuite | XmlSuite[]; testsuite?: XmlSuite[] };
  try {
    doc = xml.parse(text, true);
  } catch (error) {
    throw new Error(`Not JUnit XML (suite "${opts.suite}"): ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots: XmlSuite[] | undefined = doc.testsuites ? [doc.testsuites].flat() : doc.testsuite ? [{ testsuite: doc.testsuite }] : undefined;
  if (!roots) throw new Error(`Not JUnit XML (suite "${opts.suite}"): no <testsuites> or <testsuite> element`);
  const results: JunitResults = { tests: [], loadFailures: [] };
  const walk = (suite: XmlSuite, names: string[], file: string | undefined): void => {
    for (const child of suite.testsuite ?? []) walk(child, child['@_name'] ? [...names, child['@_name']] : names, child['@_file'] ?? file);
    for (const testcase of suite.testcase ?? []) readCase(testcase, names, testcase['@_file'] ?? file, opts, results);
  };
  for (const root of roots) walk(root, [], root['@_file']);
  return results;
}

/**
 * The suites that are describe blocks (node, mocha): not a suite named after the testcase's class
 * (go-junit-report's package, surefire's class), a file, or a whole run ("Root Suite", "pytest").
 */
function describeNames(names: string[], testcase: XmlCase, pytest: boolean): string[] {
  if (pytest) return [];
  return names.filter((name) => name !== testcase['@_classname'] && !RUN_NAMES.has(name) && !FILE_NAME.test(name));
}

/**
 * The describe path and title of a non-pytest testcase. mocha-junit-reporter writes the full title
 * as `name` and the test's own title as `classname` ("price total sums it" / "sums it"): the
 * suites are already in that prefix. mocha's xunit writes the describe path as `classname` next
 * to a `file` ("price total" / "sums it"). Either way the describe path is one part, since the
 * titles it joins with spaces cannot be told apart again.
 */
function nonPytestName(testcase: XmlCase, names: string[], fileAttr: string | undefined): string[] {
  const name = testcase['@_name'] ?? '(unnamed)';
  const classname = testcase['@_classname'] ?? '';
  if (classnameIsTitle(testcase, names) && name !== classname) return [name.slice(0, -classname.length - 1), classname];
  const describes = describeNames(names, testcase, false);
  if (fileAttr && classname && classname !== name && !FILE_NAME.test(classname) && !names.includes(classname)) return [...describes, classname, name];
  return [...describes, name];
}

/**
 * The classname is the test's own title (mocha-junit-reporter), not a class, package or file: the
 * name is "<describe path> <classname>" and that path ends with the enclosing suite's name, or,
 * in the run's root suite, the name is the classname.
 */
function classnameIsTitle(testcase: XmlCase, names: string[]): boolean {
  const classname = testcase['@_classname'];
  const name = testcase['@_name'] ?? '';
  const suite = names.at(-1);
  if (!classname || suite === undefined) return false;
  if (name === classname) return RUN_NAMES.has(suite);
  const path = name.endsWith(` ${classname}`) ? name.slice(0, -classname.length - 1) : undefined;
  return path !== undefined && (path === suite || path.endsWith(` ${suite}`));
}

function readCase(testcase: XmlCase, names: string[], fileAttr: string | undefined, opts: JunitParseOptions, out: JunitResults): void {
  const name = testcase['@_name'] ?? '(unnamed)';
  const problem = asProblem(testcase.failure?.[0] ?? testcase.error?.[0]);
  const pytest = opts.dialect === 'pytest';
  if (problem && pytest && asProblem(testcase.error?.[0])?.['@_message'] === 'collection failure') {
    const file = repoPath(fileAttr ?? `${name.replace(/\./g, '/')}.py`, opts);
    out.loadFailures.push({ suite: opts.suite, file, failure: toFailure(problem, opts, file) });
    return;
  }
  if (problem && !pytest && FILE_NAME.test(name)) {
    const file = repoPath(name, opts);
    out.loadFailures.push({ suite: opts.suite, file, failure: toFailure(problem, opts, file, testcase['system-err']?.join('\n')) });
    return;
  }
  const hook = !pytest && problem ? [testcase['@_classname'], name].map((t) => t && mochaHook(t)).find(Boolean) : undefined;
  if (hook && problem) {
    hookFailure(hook, problem, fileAttr, opts, out, testcase['system-err']?.join('\n'));
    return;
  }
  const classname = pytest || !classnameIsTitle(testcase, names) ? testcase['@_classname'] : undefined;
  const file = fileAttr ? repoPath(fileAttr, opts) : classname ?? describeNames(names, testcase, pytest)[0] ?? opts.suite;
  const fullName = (pytest ? [...classPath(testcase['@_classname'], fileAttr, pytest), name] : nonPytestName(testcase, names, fileAttr)).join(' > ');
  const status: TestStatus = problem ? 'failed' : testcase.skipped ? 'skipped' : 'passed';
  const test: TestCase = { id: testId(opts.suite, file, fullName), suite: opts.suite, file, fullName, status };
  const seconds = Number(testcase['@_time']);
  if (testcase['@_time'] !== undefined && Number.isFinite(seconds)) test.durationMs = Math.round(seconds * 1000);
  const line = Number(testcase['@_line']);
  if (testcase['@_line'] !== undefined && Number.isInteger(line) && fileAttr) test.location = { file, line: pytest ? line + 1 : line };
  if (problem) test.failure = toFailure(problem, opts, file, testcase['system-err']?.join('\n'));
  out.tests.push(test);
}

/**
 * mocha's failed hook, written as a failing testcase titled `"before all" hook for "reads"`: a
 * file whose hook threw, not a test. Its file is the stack's outermost frame in the repository
 * when the writer's is missing ("undefined" in xunit for a root hook) or not in the stack
 * (mocha-junit-reporter files a root hook under the previous suite).
 */
function hookFailure(hook: HookName, problem: Problem, fileAttr: string | undefined, opts: JunitParseOptions, out: JunitResults, systemErr?: string): void {
  const frames = framesOf(stripAnsi(problem['#text'] ?? ''), opts);
  const given = fileAttr && fileAttr !== 'undefined' ? repoPath(fileAttr, opts) : undefined;
  const file = given && frames.some((f) => f.file === given) ? given : frames.at(-1)?.file ?? given ?? opts.suite;
  if (out.loadFailures.some((l) => l.file === file)) return;
  out.loadFailures.push({ suite: opts.suite, file, failure: toFailure(problem, opts, file, systemErr), hook });
}

/** pytest's classname is "tests.test_price.TestTotal": the part after the module is the class. */
function classPath(classname: string | undefined, file: string | undefined, pytest: boolean): string[] {
  if (!pytest || !classname || !file) return [];
  const module = file.replace(/\.py$/, '').split('/').join('.');
  return classname.startsWith(`${module}.`) ? classname.slice(module.length + 1).split('.') : [];
}

// Thousands of testcases name the same few files: resolve each printed path once.
const resolved = new WeakMap<PathContext, Map<string, string>>();

function repoPath(printed: string, ctx: PathContext): string {
  let cache = resolved.get(ctx);
  if (!cache) resolved.set(ctx, (cache = new Map()));
  let file = cache.get(printed);
  if (file === undefined) cache.set(printed, (file = toRepoPath(printed, ctx) ?? printed));
  return file;
}

/** The frames of a Go traceback that lie inside the repository (a panic's). */
function goFrames(text: string, ctx: PathContext): SourceLocation[] {
  const frames: SourceLocation[] = [];
  for (const line of text.split('\n')) {
    const match = GO_FRAME.exec(line);
    const file = match && toRepoPath(match[1], ctx);
    if (match && file && isRepoFile(file)) frames.push({ file, line: Number(match[2]) });
  }
  return frames;
}

function toFailure(problem: Problem, opts: JunitParseOptions, file: string, systemErr?: string): Failure {
  const body = stripAnsi([problem['#text'] ?? '', systemErr ?? ''].join('\n')).trim();
  const attr = stripAnsi(problem['@_message'] ?? '').trim();
  const shown = relativizeText(body, opts.root);
  let message: string;
  let errorName: string | undefined;
  let location;
  if (opts.dialect === 'pytest') {
    const error = pythonError(body);
    const fromAttr = attr && attr !== 'collection failure' ? headline(attr) : '';
    message = fromAttr || error.message || headline(shown) || attr;
    errorName = errorNameOf(message) ?? error.name;
    location = pickLocation(pythonFrames(body, opts), file);
  } else if (attr === GO_PLACEHOLDER && GO_FRAMING.test(body)) {
    // Go: the body is what the test printed (t.Errorf's "price_test.go:7: ...", a panic), framed
    // by go test -v. Its file:line is relative to a package directory the report does not name.
    const said = body.split('\n').find((line) => line.trim() !== '' && !GO_FRAMING.test(line));
    message = said ? headline(relativizeText(said, opts.root)) : attr;
    location = pickLocation(goFrames(body, opts), file);
  } else {
    message = headline(attr) || headline(shown) || `${file}: failed without a message`;
    errorName =
      errorNameOf(message) ??
      (/^(?:[A-Z]\w*(?:Error|Exception)|Error)$/.test(problem['@_type'] ?? '') ? problem['@_type'] : undefined) ??
      // No `message` attribute (mocha's xunit): the body is the message, a diff, then the stack,
      // whose first line names the class.
      (attr ? undefined : errorNameOf(fromErrorLine(body) ?? ''));
    location = pickLocation(framesOf(body, opts), file);
  }
  const failure: Failure = { message: relativizeText(message, opts.root) };
  if (errorName) failure.errorName = errorName;
  if (shown) failure.stack = shown;
  if (location) failure.location = location;
  return failure;
}
