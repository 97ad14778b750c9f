// Culprit finding on real repositories: a past bug-fix commit's source hunks are undone in a new
// commit on top of the pinned head (three-way, as a revert), a few unrelated commits follow it, and
// fixloop is asked which commit broke the tests that now fail. Right when it names the undoing
// commit; the test runs the search took are counted; the revert provider's first candidate is then
// verified like any other. Writes bench/results/culprit.{json,md}.
//   BENCH_ONLY=ms,express   a subset of the entries below
//   BENCH_CASES=N           bug-fix commits per repository (default 3)
//   BENCH_SEED=N            how many unrelated commits follow each culprit (0-20, seeded; default 17)
// Every repository is a clone under /work/scratch/culprit (never /work/real/<name>/repo itself),
// its dependencies linked from the corpus checkout, which must have been set up by the real bench.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCulprit } from '../src/culprit/index.js';
import type { Culprit, CulpritSearch, TestRun } from '../src/model.js';
import { parsePolicy } from '../src/policy/index.js';
import type { SuiteConfig } from '../src/policy/schema.js';
import { RevertProvider, revertChanges } from '../src/repair/revert.js';
import { runSuites } from '../src/runners/index.js';
import { isGreen } from '../src/test-run.js';
import { groupProblems } from '../src/triage/index.js';
import { verifyCandidate } from '../src/verify/index.js';
import { mulberry32 } from './random.js';
import { checkoutOf, envOf, type Entry } from './real/setup.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCRATCH = process.env.BENCH_CULPRIT_DIR ?? '/work/scratch/culprit';
const CASES = Number(process.env.BENCH_CASES ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 17);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const MAX_RUNS = 12;
const MAX_COMMITS = 50;
/** Problems searched per case: one root cause usually makes one problem; a few more show agreement. */
const MAX_PROBLEMS = 3;

/** The suites `fixloop init` wrote for each (bench/results/real.json), flaky re-runs off: the bench measures the search. */
const SUITES: Record<string, { name: string; command: string; format: SuiteConfig['format']; timeoutSec: number }[]> = {
  defu: [{ name: 'test', command: 'pnpm vitest run', format: 'vitest', timeoutSec: 600 }],
  ufo: [{ name: 'test', command: 'pnpm exec vitest run', format: 'vitest', timeoutSec: 600 }],
  ms: [
    { name: 'nodejs', command: 'pnpm run test:nodejs', format: 'jest', timeoutSec: 600 },
    { name: 'edge', command: 'pnpm run test:edge', format: 'jest', timeoutSec: 600 },
  ],
  express: [{ name: 'test', command: 'npm test', format: 'mocha', timeoutSec: 600 }],
  'mime-types': [{ name: 'test', command: 'npm test', format: 'mocha', timeoutSec: 600 }],
  itsdangerous: [{ name: 'test', command: 'PYTHONPATH=src python3 -m pytest', format: 'pytest', timeoutSec: 900 }],
};

const TEST_FILE = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$/;

interface CaseResult {
  repo: string;
  fix: { sha: string; subject: string; kind: PastCommit['kind'] };
  /** The commit that undid the fix's source hunks: the right answer. */
  culprit: string;
  later: number;
  outcome: 'right' | 'wrong' | 'none' | 'undetected' | 'conflict';
  problems: number;
  searches: { problem: string; named?: string; right: boolean; runs: number; reason?: string; ms: number }[];
  revert?: { verdict: string; summary: string; ms: number };
  note?: string;
}

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();

function cloneOf(entry: Entry): string {
  const dir = path.join(SCRATCH, entry.name);
  const source = checkoutOf(entry);
  if (!existsSync(path.join(dir, '.git'))) {
    mkdirSync(SCRATCH, { recursive: true });
    execFileSync('git', ['clone', '-q', '--no-hardlinks', source, dir]);
  }
  const exclude = path.join(dir, '.git/info/exclude');
  if (!readFileSync(exclude, 'utf8').includes('/node_modules')) writeFileSync(exclude, `${readFileSync(exclude, 'utf8')}\n/node_modules\n/.fixloop/\n`);
  if (existsSync(path.join(source, 'node_modules')) && !existsSync(path.join(dir, 'node_modules'))) symlinkSync(path.join(source, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

interface PastCommit {
  sha: string;
  subject: string;
  sources: string[];
  /** A bug fix (its subject says so), or another change with tests, used when a repository has too few fixes. */
  kind: 'fix' | 'change';
}

/**
 * Commits that changed sources and tests, newest first (on any line: a fix merged from a branch is
 * undone just the same): bug fixes first, then other changes.
 */
function pastCommits(dir: string, base: string, entry: Entry): PastCommit[] {
  const out: PastCommit[] = [];
  for (const line of git(dir, ['log', '--no-merges', '--format=%H%x09%P%x09%s', '-n', '600', base]).split('\n')) {
    const [sha, parents, subject] = line.split('\t');
    if (!parents) continue; // the root commit: nothing to undo it to
    const files = git(dir, ['diff-tree', '-r', '--no-commit-id', '--name-only', '--no-renames', `${sha}^`, sha]).split('\n').filter(Boolean);
    const sources = files.filter((f) => !TEST_FILE.test(f) && entry.sources.some((s) => f === s || f.startsWith(`${s}/`)));
    if (sources.length && files.some((f) => TEST_FILE.test(f))) out.push({ sha, subject, sources, kind: /\bfix/i.test(subject) ? 'fix' : 'change' });
  }
  return [...out.filter((c) => c.kind === 'fix'), ...out.filter((c) => c.kind === 'change')];
}

async function runCase(entry: Entry, dir: string, base: string, fix: PastCommit, later: number, suites: SuiteConfig[]): Promise<CaseResult> {
  git(dir, ['checkout', '-q', '--detach', base]);
  git(dir, ['reset', '-q', '--hard', base]);
  git(dir, ['clean', '-qfd', '-e', 'node_modules']);
  const result: CaseResult = { repo: entry.name, fix: { sha: fix.sha, subject: fix.subject, kind: fix.kind }, culprit: '', later, outcome: 'conflict', problems: 0, searches: [] };
  // The fix undone the way a revert would: three-way, around everything changed since.
  const parent = git(dir, ['rev-parse', `${fix.sha}^`]);
  const changes = await revertChanges(dir, { sha: fix.sha, lastGood: parent } as Culprit, fix.sources).catch(() => undefined);
  if (!changes) return { ...result, note: 'the fix does not undo cleanly on the head' };
  for (const c of changes) {
    if (c.after === null) rmSync(path.join(dir, c.path), { force: true });
    else writeFileSync(path.join(dir, c.path), c.after);
  }
  git(dir, ['add', '--', ...changes.map((c) => c.path)]);
  git(dir, ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--no-verify', '-m', `refactor: tidy ${changes.map((c) => path.basename(c.path)).join(', ')}`]);
  result.culprit = git(dir, ['rev-parse', 'HEAD']);
  for (let i = 0; i < later; i++) {
    writeFileSync(path.join(dir, `BENCH-NOTE-${i}.md`), `note ${i}\n`);
    git(dir, ['add', `BENCH-NOTE-${i}.md`]);
    git(dir, ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--no-verify', '-m', `docs: note ${i}`]);
  }
  const run = await runSuites(suites, { cwd: dir });
  if (isGreen(run) || run.suites.some((s) => s.blocker)) return { ...result, outcome: 'undetected', note: run.suites.find((s) => s.blocker)?.blocker?.message.slice(0, 200) ?? 'no test fails without the fix' };
  const problems = groupProblems(run);
  result.problems = problems.length;
  let first: CulpritSearch | undefined;
  for (const problem of problems.slice(0, MAX_PROBLEMS)) {
    const started = performance.now();
    const search = await findCulprit(problem, run, { repoRoot: dir, workDir: dir, suites, maxRuns: MAX_RUNS, maxCommits: MAX_COMMITS });
    first ??= search;
    result.searches.push({ problem: problem.title.slice(0, 160), named: search.culprit?.sha, right: search.culprit?.sha === result.culprit, runs: search.runs, reason: search.reason, ms: Math.round(performance.now() - started) });
  }
  const named = result.searches.filter((s) => s.named);
  result.outcome = named.length === 0 ? 'none' : named.every((s) => s.right) ? 'right' : 'wrong';
  if (first?.culprit) result.revert = await verifyRevert(dir, run, problems[0], first.culprit, suites);
  return result;
}

/** The revert provider's first candidate for the first problem, verified in a worktree. */
async function verifyRevert(dir: string, baseline: TestRun, problem: ReturnType<typeof groupProblems>[number], culprit: Culprit, suites: SuiteConfig[]): Promise<CaseResult['revert']> {
  const started = performance.now();
  const policy = parsePolicy({ suites }, 'bench');
  for await (const candidate of new RevertProvider().propose(problem, { root: dir, protect: policy.guard.protect, harness: policy.guard.harness, history: [], culprit: async () => culprit })) {
    const verdict = await verifyCandidate({ repoRoot: dir, ref: git(dir, ['rev-parse', 'HEAD']), suites, baseline, problem, candidate });
    return { verdict: verdict.kind, summary: verdict.summary, ms: Math.round(performance.now() - started) };
  }
  return { verdict: 'not offered', summary: 'the revert provider offered nothing', ms: Math.round(performance.now() - started) };
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : 0);

function markdown(results: CaseResult[], load: string, empty: string[]): string {
  const searched = results.filter((r) => r.outcome === 'right' || r.outcome === 'wrong' || r.outcome === 'none');
  const right = searched.filter((r) => r.outcome === 'right').length;
  const runs = searched.flatMap((r) => r.searches.map((s) => s.runs));
  const reverts = results.filter((r) => r.revert);
  const lines = [
    '# Culprit finding on real repositories',
    '',
    `A past bug fix's source hunks undone in a new commit on the pinned head, 0-20 unrelated commits after it; fixloop asked which commit broke the failing tests (culprit.maxRuns ${MAX_RUNS}, culprit.maxCommits ${MAX_COMMITS}). \`npm run bench -- culprit\`; load average at the start: ${load}.`,
    '',
    `- cases where the tests caught the undone fix: ${searched.length} of ${results.length} (${results.filter((r) => r.outcome === 'undetected').length} undetected, ${results.filter((r) => r.outcome === 'conflict').length} did not undo cleanly)`,
    `- culprit right: ${right} of ${searched.length} cases${searched.length ? ` (${Math.round((100 * right) / searched.length)}%)` : ''}; wrong: ${searched.filter((r) => r.outcome === 'wrong').length}; none named: ${searched.filter((r) => r.outcome === 'none').length}`,
    `- test runs per search: median ${median(runs)}, max ${runs.length ? Math.max(...runs) : 0} (${runs.length} searches)`,
    `- the revert provider's first candidate verified fixed: ${reverts.filter((r) => r.revert!.verdict === 'fixed').length} of ${reverts.length}`,
    ...(empty.length ? [`- no case in ${empty.join(', ')}: none of their last 600 commits changed both their sources and their tests and undoes cleanly on the head`] : []),
    '',
    'A "change" is a commit that is not a bug fix (its subject does not say "fix"), taken when a repository has too few fixes.',
    '',
    '| repository | bug fix | later commits | failing problems | outcome | runs | search time | revert verified |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) => `| ${r.repo} | \`${r.fix.sha.slice(0, 8)}\` ${r.fix.kind === 'change' ? '(change) ' : ''}${r.fix.subject.replace(/\|/g, '\\|').slice(0, 70)} | ${r.later} | ${r.problems} | ${r.outcome}${r.note ? ` (${r.note.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 80)})` : ''} | ${r.searches.map((s) => s.runs).join(', ')} | ${r.searches.map((s) => `${(s.ms / 1000).toFixed(1)} s`).join(', ')} | ${r.revert ? `${r.revert.verdict}` : ''} |`),
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const corpus = JSON.parse(readFileSync(path.join(ROOT, 'bench/real/corpus.json'), 'utf8')) as { entries: Entry[] };
  const names = ONLY.length ? ONLY : Object.keys(SUITES);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const results: CaseResult[] = [];
  const random = mulberry32(SEED);
  for (const name of names) {
    const entry = corpus.entries.find((e) => e.name === name);
    if (!entry || !SUITES[name]) throw new Error(`BENCH_ONLY names ${name}: not one of ${Object.keys(SUITES).join(', ')}`);
    if (!existsSync(checkoutOf(entry))) {
      console.error(`${name}: no checkout at ${checkoutOf(entry)}: run \`BENCH_ONLY=${name} BENCH_SETUP_ONLY=1 npm run bench -- real\` first`);
      continue;
    }
    const env = envOf(entry);
    process.env.PATH = env.PATH;
    for (const key of ['npm_config_userconfig', 'VIRTUAL_ENV']) if (env[key]) process.env[key] = env[key];
    const dir = cloneOf(entry);
    // The pinned commit, not the checkout's head: the real bench commits a policy there.
    const base = entry.commit;
    const suites = parsePolicy({ suites: SUITES[name] }, 'bench').suites;
    let done = 0;
    let tried = 0;
    for (const fix of pastCommits(dir, base, entry)) {
      // Each case that the tests do not catch still costs a full run of the suites.
      if (done >= CASES || tried >= CASES * 4) break;
      const later = Math.floor(random() * 21);
      const r = await runCase(entry, dir, base, fix, later, suites);
      console.error(`${name} ${fix.sha.slice(0, 8)} ${fix.subject.slice(0, 50)}: ${r.outcome}${r.searches.length ? ` (runs ${r.searches.map((s) => s.runs).join(', ')})` : ''}${r.revert ? `; revert ${r.revert.verdict}` : ''}${r.note ? ` — ${r.note}` : ''}`);
      if (r.outcome === 'conflict') continue;
      tried++;
      results.push(r);
      if (r.outcome !== 'undetected') done++;
    }
    git(dir, ['checkout', '-q', '--detach', base]);
    git(dir, ['reset', '-q', '--hard', base]);
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(ROOT, 'bench/results/culprit.json');
  // A run of some entries (BENCH_ONLY) keeps the other entries' results from the last full run.
  const kept = ONLY.length && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results: CaseResult[] }).results.filter((r) => !names.includes(r.repo)) : [];
  const order = Object.keys(SUITES);
  const all = [...kept, ...results].sort((a, b) => order.indexOf(a.repo) - order.indexOf(b.repo));
  writeFileSync(file, `${JSON.stringify({ seed: SEED, load, results: all }, null, 2)}\n`);
  writeFileSync(path.join(ROOT, 'bench/results/culprit.md'), markdown(all, load, order.filter((n) => !all.some((r) => r.repo === n))));
  console.error('wrote bench/results/culprit.{json,md}');
}

await main();
