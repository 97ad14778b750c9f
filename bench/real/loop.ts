// One corpus entry measured: the plain run of its own test command, `fixloop init`, a clean
// `fixloop run --no-llm --json`, and fixloop runs on seeded faults in its sources.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_KINDS, sitesOf, type FaultKind } from '../faults.js';
import { PY_FAULT_KINDS, pySitesOf } from './py-faults.js';
import { checkoutOf, envOf, exec, resetCheckout, type Entry, type Exec } from './setup.js';
import { readSummary, type RunnerTotals } from './summary.js';
import type { SuiteCheck } from './suites.js';
import { mulberry32, shuffled } from '../random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** "dist" (default): the build, as a user runs the package; "src": bin/fixloop.js through tsx (≈0.5–1 s more per process). */
export const FIXLOOP_FROM: 'dist' | 'src' = process.env.BENCH_FIXLOOP === 'src' ? 'src' : 'dist';
const FIXLOOP = `node "${path.join(ROOT, FIXLOOP_FROM === 'src' ? 'bin/fixloop.js' : 'bench/real/fixloop-dist.mjs')}"`;
const PLAIN_TIMEOUT = Number(process.env.BENCH_PLAIN_TIMEOUT_SEC ?? 600) * 1000;
const LOOP_TIMEOUT = Number(process.env.BENCH_LOOP_TIMEOUT_SEC ?? 900) * 1000;
/** Files the loop must never change (the default guard.protect, and the bench's own notion of a test file). */
const PROTECTED = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.py$|(^|\/)conftest\.py$|(^|\/)loop\.policy\.json$|(^|\/)package(-lock)?\.json$/;

export interface Totals {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  loadErrors?: number;
}

export interface LoopRun {
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  status?: string;
  stopReason?: string;
  error?: string;
  /** The first iteration's totals (run:end totalsBefore). */
  totals?: Totals;
  /** The last iteration's totals (run:end totalsAfter). */
  totalsAfter?: Totals;
  blockers: { suite: string; reason: string; message: string }[];
  /** Each suite's totals in the first iteration. */
  suites?: { suite: string; totals: Totals }[];
  commits: { sha: string; message: string; files: string[] }[];
  branch?: string;
  /** The end of stderr when the run did not reach run:end or ended in error. */
  tail?: string;
  /** The 1-minute load when the run started. */
  load1?: number;
}

export interface FaultResult {
  kind: FaultKind;
  file: string;
  description: string;
  outcome: 'fixed' | 'wrong-commit' | 'left';
  /** Whether the fixed file is byte-identical to the clean one (fixed only). */
  identical?: boolean;
  why?: string;
  /** The runner's own summary of the plain run that showed the fault (real failing summaries, kept for the readers' tests). */
  plainTotals?: RunnerTotals;
  loop: LoopRun;
}

/** Which fixloop measured the faults, and the plain time their loop times are divided by. */
export interface FaultsMeasured {
  fixloop: string;
  at: string;
  plainMs: number;
  /** "suites": one plain run of the policy's suites; "test command": the project's test command (records before per-suite runs). */
  plainOf: 'suites' | 'test command';
}

export interface EntryResult {
  /** The project's own test command, run once (also the warm-up before the per-suite runs). */
  plain?: { exitCode: number | null; ms: number; timedOut: boolean; totals?: RunnerTotals; tail?: string; load1?: number };
  init?: { exitCode: number | null; wrote: boolean; policy?: unknown; message: string };
  /** runnerSuites: records before per-suite checks compared the suites the runner counts with `entry.test`'s summary. */
  clean?: LoopRun & { totalsEqual?: boolean; runnerSuites?: { totals: Totals; exitCodeSuites: string[] } };
  /** Each policy suite run plainly and compared with fixloop's totals for it (absent in older records). */
  suiteChecks?: SuiteCheck[];
  faults?: FaultResult[];
  faultsNote?: string;
  faultsMeasured?: FaultsMeasured;
  fixloopFrom?: 'dist' | 'src';
}

function tail(text: string, lines = 15): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim().split('\n').slice(-lines).join('\n');
}

export async function plainRun(entry: Entry): Promise<NonNullable<EntryResult['plain']>> {
  const load1 = loadavg()[0];
  const r = await exec(entry.test, { cwd: checkoutOf(entry), env: envOf(entry), timeoutMs: PLAIN_TIMEOUT });
  const totals = readSummary(entry.runner, r.out);
  return { exitCode: r.code, ms: r.ms, timedOut: r.timedOut, totals, tail: r.code === 0 && totals ? undefined : tail(r.out, 25), load1 };
}

export async function fixloopInit(entry: Entry): Promise<NonNullable<EntryResult['init']>> {
  const dir = checkoutOf(entry);
  const r = await exec(`${FIXLOOP} init`, { cwd: dir, env: envOf(entry), timeoutMs: 120_000 });
  const file = path.join(dir, 'loop.policy.json');
  const wrote = r.code === 0 && existsSync(file);
  return { exitCode: r.code, wrote, policy: wrote ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined, message: tail(r.stderr, 20) };
}

function parseLoop(r: Exec): LoopRun {
  const run: LoopRun = { exitCode: r.code, timedOut: r.timedOut, ms: r.ms, blockers: [], suites: [], commits: [] };
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (event.type === 'suite:end' && event.iteration === 1) run.suites!.push({ suite: String(event.suite), totals: event.totals as Totals });
    if (event.type === 'suite:end' && event.blocker && event.iteration === 1) {
      const b = event.blocker as { reason: string; message: string };
      run.blockers.push({ suite: String(event.suite), reason: b.reason, message: b.message.slice(0, 2000) });
    }
    if (event.type === 'run:end') {
      run.status = event.status as string;
      run.stopReason = event.stopReason as string;
      run.error = event.error as string | undefined;
      run.totals = event.totalsBefore as Totals;
      run.totalsAfter = event.totalsAfter as Totals;
      run.commits = event.commits as LoopRun['commits'];
      run.branch = event.branch as string;
    }
  }
  if (!run.status || run.status === 'error' || r.code !== 0) run.tail = tail(r.stderr, 20);
  return run;
}

export async function fixloopRun(entry: Entry): Promise<LoopRun> {
  const load1 = loadavg()[0];
  const r = await exec(`${FIXLOOP} run --no-llm --json`, { cwd: checkoutOf(entry), env: envOf(entry), timeoutMs: LOOP_TIMEOUT });
  return { ...parseLoop(r), load1 };
}

async function sourceFiles(entry: Entry): Promise<string[]> {
  const r = await exec(`git ls-files -- ${entry.sources.map((s) => `'${s}'`).join(' ')}`, { cwd: checkoutOf(entry), timeoutMs: 60_000 });
  return r.stdout
    .split('\n')
    .filter((f) => (entry.runner === 'pytest' ? f.endsWith('.py') : /\.(m|c)?(j|t)sx?$/.test(f) && !f.endsWith('.d.ts')) && !PROTECTED.test(f))
    .sort();
}

/**
 * A commit is judged against the clean checkout's own run (`baseline`): where init's policy has
 * suites that fail even without a fault, "fixed" means back to no more failures than that.
 */
function judge(loop: LoopRun, baseline: LoopRun | undefined): Pick<FaultResult, 'outcome' | 'why'> {
  const touched = loop.commits.flatMap((c) => c.files).filter((f) => PROTECTED.test(f));
  if (touched.length) return { outcome: 'wrong-commit', why: `committed protected/test files: ${touched.join(', ')}` };
  const failures = (t: Totals | undefined) => (t ? t.failed + (t.loadErrors ?? 0) : Infinity);
  const backToBaseline = loop.status === 'green' || (baseline?.status !== 'green' && failures(loop.totalsAfter) <= failures(baseline?.totalsAfter));
  if (loop.commits.length && !backToBaseline) return { outcome: 'wrong-commit', why: `${loop.commits.length} commit(s) but the run ended ${loop.status ?? 'without run:end'} with ${failures(loop.totalsAfter)} failure(s), the clean checkout ${failures(baseline?.totalsAfter)}` };
  if (loop.commits.length) return { outcome: 'fixed', why: loop.status === 'green' ? undefined : `back to the clean checkout's ${failures(baseline?.totalsAfter)} failure(s) (suites that fail without a fault)` };
  if (loop.status === 'green') return { outcome: 'left', why: "green without a commit: fixloop's suites do not see the fault that the project's test command sees" };
  return { outcome: 'left', why: `no commit; ${loop.status ?? 'no run:end'}${loop.stopReason ? ` (${loop.stopReason})` : ''}` };
}

const NOT_BUILD_OUTPUT = /(^|\/)(node_modules|\.venv|venv|\.fixloop|\.turbo|__pycache__|\.pytest_cache)(\/|$)/;

/**
 * The checkout's ignored build output (dist/ of workspace packages), saved before the project's
 * command checks that it notices a fault: that run may clean and fail to rebuild it (solid's
 * turbo build:clean, then a syntax error), and the loop should meet the checkout as built before.
 */
async function saveBuildOutput(dir: string): Promise<{ paths: string[]; archive: string } | undefined> {
  const listed = await exec('git ls-files --others --ignored --exclude-standard --directory', { cwd: dir, timeoutMs: 60_000 });
  const paths = listed.stdout.split('\n').map((l) => l.replace(/\/$/, '')).filter((l) => l && !NOT_BUILD_OUTPUT.test(l));
  if (!paths.length) return undefined;
  const archive = path.join(tmpdir(), `fixloop-real-build-${process.pid}.tar`);
  const saved = await exec(`tar -cf "${archive}" ${paths.map((p) => `'${p}'`).join(' ')}`, { cwd: dir, timeoutMs: 120_000 });
  return saved.code === 0 ? { paths, archive } : undefined;
}

async function restoreBuildOutput(dir: string, saved: { paths: string[]; archive: string } | undefined): Promise<void> {
  if (!saved) return;
  await exec(`rm -rf ${saved.paths.map((p) => `'${p}'`).join(' ')} && tar -xf "${saved.archive}" && rm -f "${saved.archive}"`, { cwd: dir, timeoutMs: 120_000 });
}

/**
 * Up to `count` faults, each of a different kind (kinds in a seeded order), each alone on its own
 * commit of the bench branch. A candidate site counts only when the plain test command fails with it.
 */
export async function faultRuns(entry: Entry, base: string, baseline: LoopRun | undefined, count: number, seed: number, tries: number): Promise<FaultResult[]> {
  const dir = checkoutOf(entry);
  const files = await sourceFiles(entry);
  const random = mulberry32(seed * 1000 + [...entry.name].reduce((a, c) => a + c.charCodeAt(0), 0));
  const results: FaultResult[] = [];
  const python = entry.runner === 'pytest';
  for (const kind of shuffled(python ? PY_FAULT_KINDS : [...FAULT_KINDS], random)) {
    if (results.length >= count) break;
    // Sites are read from the clean base: the previous kind's fault is still committed in the
    // checkout, and a site read from it would carry that fault into this one (mime-types' brace
    // fault came with the misspelling before it, and no single fix could make it load).
    await resetCheckout(entry, base);
    const sites = files.flatMap((f) => (python ? pySitesOf : sitesOf)(kind, f, readFileSync(path.join(dir, f), 'utf8')));
    for (const site of shuffled(sites, random).slice(0, tries)) {
      await resetCheckout(entry, base);
      const clean = readFileSync(path.join(dir, site.file), 'utf8');
      writeFileSync(path.join(dir, site.file), site.faulty);
      const saved = await saveBuildOutput(dir);
      const noticed = await exec(entry.test, { cwd: dir, env: envOf(entry), timeoutMs: PLAIN_TIMEOUT });
      await restoreBuildOutput(dir, saved);
      if (noticed.code === 0) continue;
      await exec(`git commit -q --no-verify -am "fault: ${kind} in ${site.file}"`, { cwd: dir, timeoutMs: 60_000 });
      const loop = await fixloopRun(entry);
      const verdict = judge(loop, baseline);
      let identical: boolean | undefined;
      if (verdict.outcome === 'fixed' && loop.branch) {
        const shown = await exec(`git show "${loop.branch}:${site.file}"`, { cwd: dir, timeoutMs: 60_000 });
        identical = shown.stdout === clean;
      }
      results.push({ kind, file: site.file, description: site.description, ...verdict, identical, plainTotals: readSummary(entry.runner, noticed.out), loop });
      console.error(`  ${entry.name} ${kind} ${site.file} ${site.description}: ${verdict.outcome} (${(loop.ms / 1000).toFixed(1)} s)`);
      break;
    }
  }
  await resetCheckout(entry, base);
  return results;
}
