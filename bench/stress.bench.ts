// Determinism under load (issue 18, item 1b): the same repository and policy must give the same
// problems and the same candidates whatever the machine's load. Repair cases of the fault-injection
// bench (one seeded site per kind and project) each run STRESS_RUNS times, STRESS_PARALLEL loops
// at once (each `fixloop run`-like, in its own process) beside STRESS_HOGS busy-looping processes.
// A case is deterministic when every run found the same problems, proposed the same candidates
// and ended the same way.
//   STRESS_RUNS (default 3) · STRESS_PARALLEL (default 3) · STRESS_HOGS (default 2)
//   BENCH_ONLY=word,word: only projects or kinds containing one of the words (default: use-before-declaration)
//   BENCH_SEED (default 8)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FAULT_KINDS, type Site } from './faults.js';
import { mulberry32, shuffled } from './random.js';
import { allSites, git, makeRepo, plainRun } from './repair.bench.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.STRESS_RUNS ?? 3);
const PARALLEL = Number(process.env.STRESS_PARALLEL ?? 3);
const HOGS = Number(process.env.STRESS_HOGS ?? 2);
const SEED = Number(process.env.BENCH_SEED ?? 8);
const ONLY = (process.env.BENCH_ONLY ?? 'use-before-declaration').split(',').filter(Boolean);
const PROJECTS = ['inventory', 'scheduler', 'templating'];

interface Case {
  project: string;
  site: Site;
}

/** What one loop did, in the order it did it: what must not depend on the load. */
interface Trace {
  problems: string[];
  candidates: string[];
  stopReason: string;
  commits: number;
  ms: number;
  error?: string;
}

/** One seeded site per kind and project that makes the suite fail (checked with a plain run). */
function pickCases(): Case[] {
  const cases: Case[] = [];
  for (const project of PROJECTS) {
    for (const [k, kind] of FAULT_KINDS.entries()) {
      if (!ONLY.some((w) => kind.includes(w) || project.includes(w))) continue;
      const random = mulberry32(SEED * 1000 + k * 31 + PROJECTS.indexOf(project));
      for (const site of shuffled(allSites(project, kind), random).slice(0, 6)) {
        const dir = makeRepo(project);
        try {
          writeFileSync(path.join(dir, site.file), site.faulty);
          if (plainRun(dir).ok) continue;
        } finally {
          rmSync(path.dirname(dir), { recursive: true, force: true });
        }
        cases.push({ project, site });
        break;
      }
    }
  }
  return cases;
}

/** The worker: one loop on a fresh copy of the case, its trace as JSON on stdout. */
async function worker(c: Case): Promise<void> {
  const { createLoop } = await import('../src/loop/index.js');
  const dir = makeRepo(c.project);
  const started = performance.now();
  const trace: Trace = { problems: [], candidates: [], stopReason: '', commits: 0, ms: 0 };
  try {
    writeFileSync(path.join(dir, c.site.file), c.site.faulty);
    git(dir, 'commit', '-qam', `fault: ${c.site.kind}`);
    const loop = createLoop({ cwd: dir, maxIterations: 2 });
    for await (const e of loop.run()) {
      if (e.type === 'problem:found') trace.problems.push(e.problem.id);
      if (e.type === 'candidate:proposed') trace.candidates.push(e.candidateId);
    }
    const summary = await loop.result;
    Object.assign(trace, { stopReason: summary.stopReason, commits: summary.commits.length });
  } catch (err) {
    trace.error = (err as Error).message;
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
  trace.ms = Math.round(performance.now() - started);
  process.stdout.write(JSON.stringify(trace));
}

function runWorker(c: Case): Promise<Trace> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', JSON.stringify(c)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as Trace);
      } catch {
        resolve({ problems: [], candidates: [], stopReason: '', commits: 0, ms: 0, error: `worker exited ${code} without a trace` });
      }
    });
  });
}

/** Busy loops on every core the bench is told to take, ended with the bench. */
function startHogs(): ChildProcess[] {
  return Array.from({ length: HOGS }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}

const key = (t: Trace) => JSON.stringify([t.problems, t.candidates, t.stopReason, t.commits, t.error ?? '']);

function report(cases: Case[], traces: Trace[][], elapsedMs: number, loads: number[]): { md: string; json: unknown } {
  const rows = cases.map((c, i) => {
    const runs = traces[i];
    const distinct = new Set(runs.map(key)).size;
    const fixed = runs.filter((t) => t.stopReason === 'green' && t.commits > 0).length;
    const reasons = [...new Set(runs.map((t) => t.error ? `error: ${t.error}` : t.stopReason))].join(', ');
    return { case: `${c.project} ${c.site.kind} ${c.site.file} ${c.site.description}`, runs: runs.length, fixed, distinct, reasons, seconds: runs.map((t) => +(t.ms / 1000).toFixed(1)) };
  });
  const md = [
    '# Stress benchmark: the same answer under load',
    '',
    `\`npm run bench -- stress\` on ${new Date().toISOString().slice(0, 10)}: seed ${SEED}, kinds/projects ${ONLY.join(', ')}; each case ${RUNS} times, ` +
      `${PARALLEL} loops at once (\`createLoop({ maxIterations: 2 })\`, default providers, each in its own process) beside ${HOGS} busy-looping process${HOGS === 1 ? '' : 'es'}. ` +
      `Total ${(elapsedMs / 1000).toFixed(0)} s on ${cpus().length} cores; 1-minute load average ${loads.map((l) => l.toFixed(1)).join(' at the start, ')} at the end.`,
    '',
    'A case is deterministic when all its runs found the same problems, proposed the same candidates in the same order and ended the same way ("distinct" = 1).',
    '',
    '| case | runs | fixed | distinct outcomes | stop reasons | loop s |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.case} | ${r.runs} | ${r.fixed} | ${r.distinct} | ${r.reasons} | ${r.seconds.join(', ')} |`),
    '',
  ].join('\n');
  return { md, json: { date: new Date().toISOString(), seed: SEED, only: ONLY, runs: RUNS, parallel: PARALLEL, hogs: HOGS, cores: cpus().length, load: loads, elapsedMs: Math.round(elapsedMs), cases: rows, traces } };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const cases = pickCases();
  console.error(`stress: ${cases.length} case(s) × ${RUNS} runs, ${PARALLEL} at once, ${HOGS} hog(s)`);
  const hogs = startHogs();
  const stopHogs = () => hogs.forEach((h) => h.kill('SIGKILL'));
  process.once('exit', stopHogs);
  let traces: Trace[][];
  try {
    const jobs = cases.flatMap((c, i) => Array.from({ length: RUNS }, () => i));
    const flat = await pool(jobs, PARALLEL, async (i) => {
      const t = await runWorker(cases[i]);
      console.error(`${cases[i].project} ${cases[i].site.kind} ${cases[i].site.file}: ${t.error ?? t.stopReason} (${(t.ms / 1000).toFixed(1)} s) candidates ${t.candidates.join(' ') || '–'}`);
      return { i, t };
    });
    traces = cases.map((_, i) => flat.filter((r) => r.i === i).map((r) => r.t));
  } finally {
    stopHogs();
  }
  const { md, json } = report(cases, traces, performance.now() - started, [loadAtStart, loadavg()[0]]);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/stress.md'), md);
  writeFileSync(path.join(ROOT, 'bench/results/stress.json'), JSON.stringify(json, null, 2) + '\n');
  console.error('wrote bench/results/stress.{md,json}');
}

const caseArg = process.argv.indexOf('--case');
if (caseArg > 0) await worker(JSON.parse(process.argv[caseArg + 1]) as Case);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
