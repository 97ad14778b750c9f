// Fault-injection benchmark of the deterministic repair providers (issue 8). For each fixture
// project in fixtures/bench/ and each fault kind, seeded sites in non-test files get one fault
// each; a site counts only when the fault makes the suite fail. The loop then runs with the
// default providers, and the outcome is judged against the clean source.
//   BENCH_SITES=N (default 2) sites per kind per project · BENCH_SEED=S (default 8)
//   BENCH_ONLY=word,word: only projects or kinds containing one of the words (for quick looks)
//   BENCH_TRACE=1: print each loop's events with the seconds since its start (where the time goes)
//   BENCH_ONLY=fixloop: a real repository instead of the fixtures: fixloop itself at HEAD, its suite
//     narrowed to the tests of SELF_DIRS, faults injected in those directories' sources
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forgetProject } from '../src/analysis/index.js';
import { createLoop } from '../src/loop/index.js';
import { FAULT_KINDS, sitesOf, type FaultKind, type Site } from './faults.js';
import { mulberry32, shuffled } from './random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'fixtures/bench');
/** The project that is fixloop's own repository, and the parts of it whose sources and tests it uses. */
const SELF = 'fixloop';
const SELF_DIRS = ['triage', 'patch', 'policy', 'report', 'vcs'];
const SELF_COMMAND = `npx vitest run ${SELF_DIRS.map((d) => `test/${d}`).join(' ')}`;
const SITES = Number(process.env.BENCH_SITES ?? 2);
const SEED = Number(process.env.BENCH_SEED ?? 8);
/** Candidate sites tried per kind and project before giving up on finding SITES that fail. */
const MAX_TRIES = 6;
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const TRACE = process.env.BENCH_TRACE === '1';
const wanted = (name: string) => ONLY.length === 0 || ONLY.some((w) => name.includes(w));

type Outcome = 'identical' | 'whitespace' | 'reordered' | 'different' | 'not-fixed';

interface Result {
  project: string;
  site: Site;
  outcome: Outcome;
  commits: number;
  providers: string[];
  loopMs: number;
  plainMs: number;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A git repository holding a copy of the fixture project (or of fixloop at HEAD), node_modules linked and ignored. */
export function makeRepo(project: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), `fixloop-bench-${project}-`)), 'repo');
  if (project === SELF) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive HEAD | tar -x -C "${dir}"`]);
    writeFileSync(path.join(dir, 'loop.policy.json'), JSON.stringify({ suites: [{ name: 'unit', command: SELF_COMMAND, timeoutSec: 300 }] }));
  } else {
    cpSync(path.join(FIXTURES, project), dir, { recursive: true });
  }
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'clean');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** One plain run of the suite (the policy's single command): exit status and wall time. */
export function plainRun(dir: string): { ok: boolean; ms: number } {
  const policy = JSON.parse(readFileSync(path.join(dir, 'loop.policy.json'), 'utf8')) as { suites: { command: string }[] };
  const started = performance.now();
  const result = spawnSync('sh', ['-c', policy.suites[0].command], { cwd: dir, stdio: 'ignore' });
  return { ok: result.status === 0, ms: performance.now() - started };
}

export function allSites(project: string, kind: FaultKind): Site[] {
  const dirs = project === SELF ? SELF_DIRS.map((d) => `src/${d}`) : ['src'];
  const base = project === SELF ? ROOT : path.join(FIXTURES, project);
  return dirs.flatMap((dir) =>
    readdirSync(path.join(base, dir))
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .flatMap((f) => sitesOf(kind, `${dir}/${f}`, readFileSync(path.join(base, dir, f), 'utf8'))),
  );
}

async function runSite(project: string, site: Site): Promise<Result | undefined> {
  const dir = makeRepo(project);
  const clean = readFileSync(path.join(dir, site.file), 'utf8');
  try {
    writeFileSync(path.join(dir, site.file), site.faulty);
    const plain = plainRun(dir);
    if (plain.ok) return undefined; // the tests do not notice this fault: not a site
    git(dir, 'commit', '-qam', `fault: ${site.kind}`);
    const started = performance.now();
    const loop = createLoop({ cwd: dir, maxIterations: 2 });
    for await (const event of loop.run()) {
      if (TRACE) console.error(`  ${((performance.now() - started) / 1000).toFixed(2)} s ${event.type}${'suite' in event ? ` ${String(event.suite)}` : ''}${'title' in event ? ` ${String(event.title)}` : ''}`);
    }
    const summary = await loop.result;
    const loopMs = performance.now() - started;
    forgetProject();
    const providers = summary.commits.map((c) => c.provider);
    let outcome: Outcome = 'not-fixed';
    if (summary.status === 'green' && summary.commits.length > 0) {
      const fixed = git(dir, 'show', `${summary.branch}:${site.file}`);
      const squash = (s: string) => s.replace(/\s+/g, '');
      const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).sort().join('\n');
      outcome = fixed === clean ? 'identical' : squash(fixed) === squash(clean) ? 'whitespace' : lines(fixed) === lines(clean) ? 'reordered' : 'different';
      if (outcome === 'different' || outcome === 'reordered') console.error(git(dir, 'diff', `main~1`, summary.branch, '--', site.file));
    }
    return { project, site, outcome, commits: summary.commits.length, providers, loopMs, plainMs: plain.ms };
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function report(results: Result[], cleanRuns: Record<string, number>, elapsedMs: number, loads: number[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const rows = FAULT_KINDS.map((kind) => {
    const of = results.filter((r) => r.site.kind === kind);
    const count = (o: Outcome) => of.filter((r) => r.outcome === o).length;
    const fixed = of.length - count('not-fixed');
    const stray = of.filter((r) => r.outcome === 'not-fixed' && r.commits > 0).length;
    const loops = of.filter((r) => r.outcome !== 'not-fixed').map((r) => r.loopMs);
    const ratio = median(of.filter((r) => r.outcome !== 'not-fixed').map((r) => r.loopMs / cleanRuns[r.project]));
    return `| ${kind} | ${fixed}/${of.length} | ${count('identical')} | ${count('whitespace')} | ${count('reordered')} | ${count('different')} | ${count('not-fixed')} | ${stray} | ${loops.length ? s(median(loops)) : '–'} | ${Number.isNaN(ratio) ? '–' : `${ratio.toFixed(1)}×`} |`;
  });
  const detail = results.map(
    (r) => `| ${r.project} | ${r.site.kind} | ${r.site.file} ${r.site.description} | ${r.outcome} | ${r.providers.join(', ') || '–'} | ${s(r.loopMs)} |`,
  );
  return [
    '# Repair benchmark',
    '',
    `\`npm run bench repair\` on ${new Date().toISOString().slice(0, 10)}: seed ${SEED}, up to ${SITES} site(s) per kind per project, projects ${Object.keys(cleanRuns).join(', ')}; ` +
      `loop = \`createLoop({ maxIterations: 2 })\` with the default providers. Total ${s(elapsedMs)} s on ${cpus().length} cores; ` +
      `1-minute load average ${loads.map((l) => l.toFixed(1)).join(' at the start, ')} at the end (other work on the machine slows loops more than the single plain runs).`,
    '',
    'Plain run of each suite on the clean checkout (median of three, after one warm-up): ' + Object.entries(cleanRuns).map(([p, ms]) => `${p} ${s(ms)} s`).join(', ') + '.',
    '',
    '"fixed" means green at the end with a commit. The committed file is then compared with the clean source: identical, equal up to whitespace, ' +
      'the same lines in another order (e.g. a declaration moved back to just above its first use rather than to where it was), or different ' +
      '(green but not the original code; the diff is printed by the bench, to be judged by a person). "stray" counts runs that committed something yet did not end green.',
    '',
    '| kind | fixed | identical | whitespace only | reordered | different | not fixed | stray commits | median loop s (fixed) | median loop / plain run |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Sites',
    '',
    '| project | kind | site | outcome | committed by | loop s |',
    '| --- | --- | --- | --- | --- | --- |',
    ...detail,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const all = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  // fixloop itself only when asked for by name: its loops take several times the fixtures'.
  const projects = ONLY.includes(SELF) ? [SELF] : all.filter((p) => wanted(p) || !all.some(wanted));
  const cleanRuns: Record<string, number> = {};
  const results: Result[] = [];
  for (const project of projects) {
    const dir = makeRepo(project);
    plainRun(dir); // warm the caches once, as the loop's own first run would find them
    const clean = [plainRun(dir), plainRun(dir), plainRun(dir)];
    rmSync(path.dirname(dir), { recursive: true, force: true });
    if (!clean.every((run) => run.ok)) throw new Error(`fixtures/bench/${project}: the clean checkout does not pass its tests`);
    cleanRuns[project] = median(clean.map((run) => run.ms));
    for (const [k, kind] of FAULT_KINDS.entries()) {
      if (!wanted(kind) && FAULT_KINDS.some(wanted)) continue;
      const random = mulberry32(SEED * 1000 + k * 31 + projects.indexOf(project));
      let found = 0;
      for (const site of shuffled(allSites(project, kind), random).slice(0, Math.max(MAX_TRIES, SITES * 3))) {
        if (found >= SITES) break;
        const result = await runSite(project, site);
        if (!result) continue;
        found++;
        results.push(result);
        console.error(`${project} ${kind} ${site.file} ${site.description}: ${result.outcome} (${(result.loopMs / 1000).toFixed(1)} s)`);
      }
    }
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  // Other sizes or seeds keep their own file, so the default table stays the one in the repository.
  const name = SITES === 2 && SEED === 8 && ONLY.length === 0 ? 'repair.md' : `repair-${SITES}-sites-seed-${SEED}${ONLY.length ? `-${ONLY.join('-')}` : ''}.md`;
  const out = path.join(ROOT, 'bench/results', name);
  writeFileSync(out, report(results, cleanRuns, performance.now() - started, [loadAtStart, loadavg()[0]]));
  console.error(`wrote ${path.relative(ROOT, out)}`);
}

// The stress bench borrows the helpers above without running this one.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
