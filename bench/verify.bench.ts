// Verification cost: worktree creation/removal time, and the wall time of verifying a candidate
// relative to one plain full run of the same suites. Writes bench/results/verify.md.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candidate, Isolation } from '../src/model.js';
import { isolationFor } from '../src/sandbox/bwrap.js';
import { loadPolicy } from '../src/policy/index.js';
import { runSuites } from '../src/runners/index.js';
import { groupProblems } from '../src/triage/index.js';
import { verifyCandidate } from '../src/verify/index.js';
import { addWorktree, removeWorktree } from '../src/vcs/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function demoRepo(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-bench-verify-')), 'demo-app');
  cpSync(path.join(ROOT, 'fixtures/demo-app'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'demo');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function worktreeTimes(repo: string, n = 10): Promise<{ add: number; remove: number; files: number }> {
  const adds: number[] = [];
  const removes: number[] = [];
  for (let i = 0; i < n; i++) {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-bench-wt-')), 'tree');
    adds.push(await time(() => addWorktree(repo, dir, 'HEAD')));
    removes.push(await time(() => removeWorktree(repo, dir)));
  }
  return { add: median(adds), remove: median(removes), files: git(repo, 'ls-files').split('\n').length };
}

async function main() {
  const repo = demoRepo();
  const { policy } = loadPolicy(repo);
  const plain: number[] = [];
  let baseline = await runSuites(policy.suites, { cwd: repo });
  for (let i = 0; i < RUNS; i++) plain.push(await time(async () => (baseline = await runSuites(policy.suites, { cwd: repo }))));
  const [problem] = groupProblems(baseline);
  const file = 'src/shared/isolated-environment.ts';
  const before = readFileSync(path.join(repo, file), 'utf8');
  const candidate = (id: string, after: string): Candidate => ({ id, problemId: problem.id, provider: 'bench', title: id, rationale: '', patch: { changes: [{ path: file, before, after }] } });
  const fixing = candidate('fix', before.replace("import { parseInteger } from './parse.js';", "import { parseBoolean, parseInteger } from './parse.js';"));
  const useless = candidate('no-effect', `${before}// a comment changes nothing\n`);
  const ref = git(repo, 'rev-parse', 'HEAD');
  const verify = (c: Candidate, isolation?: Isolation) => verifyCandidate({ repoRoot: repo, ref, suites: policy.suites, baseline, problem, candidate: c, isolation });
  const sandbox = isolationFor('required', false);
  const sandboxed: number[] = [];
  const fixTimes: number[] = [];
  const uselessTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    fixTimes.push(await time(() => verify(fixing)));
    // The same candidate in the bubblewrap sandbox, interleaved with the plain one: the sandbox's cost.
    sandboxed.push(await time(() => verify(fixing, sandbox)));
    uselessTimes.push(await time(() => verify(useless)));
  }
  // The fair reference for a fixing candidate: a plain run of the code as it is once fixed.
  const fixedRepo = demoRepo();
  writeFileSync(path.join(fixedRepo, file), fixing.patch.changes[0].after!);
  const plainFixed: number[] = [];
  for (let i = 0; i < RUNS; i++) plainFixed.push(await time(() => runSuites(policy.suites, { cwd: fixedRepo })));
  const demoWt = await worktreeTimes(repo);
  const selfWt = await worktreeTimes(ROOT);
  const full = median(plain);
  const fixedFull = median(plainFixed);
  const rows = [
    '# Verification cost',
    '',
    `Measured ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}; medians of ${RUNS} runs (\`npm run bench -- verify\`).`,
    '',
    '| what | wall time | relative to one plain full run |',
    '| --- | --- | --- |',
    `| plain full run of the demo's 4 suites, broken (the baseline) | ${(full / 1000).toFixed(2)} s | 1.00× |`,
    `| plain full run of the demo's 4 suites, fixed | ${(fixedFull / 1000).toFixed(2)} s | ${(fixedFull / full).toFixed(2)}× |`,
    `| verify a fixing candidate (targeted run covers every file, reused as the full run) | ${(median(fixTimes) / 1000).toFixed(2)} s | ${(median(fixTimes) / full).toFixed(2)}× (${(median(fixTimes) / fixedFull).toFixed(2)}× the fixed run) |`,
    `| the same fixing candidate verified in the bubblewrap sandbox (read-only file system, no network) | ${(median(sandboxed) / 1000).toFixed(2)} s | ${(median(sandboxed) / full).toFixed(2)}× (${(median(sandboxed) / median(fixTimes)).toFixed(2)}× without the sandbox) |`,
    `| verify a no-effect candidate (stops after the targeted run) | ${(median(uselessTimes) / 1000).toFixed(2)} s | ${(median(uselessTimes) / full).toFixed(2)}× |`,
    '',
    '| repository | tracked files | worktree add | worktree remove |',
    '| --- | --- | --- | --- |',
    `| demo app | ${demoWt.files} | ${demoWt.add.toFixed(0)} ms | ${demoWt.remove.toFixed(0)} ms |`,
    `| fixloop itself | ${selfWt.files} | ${selfWt.add.toFixed(0)} ms | ${selfWt.remove.toFixed(0)} ms |`,
    '',
  ];
  writeFileSync(path.join(ROOT, 'bench/results/verify.md'), rows.join('\n'));
  console.log(rows.join('\n'));
}

await main();
