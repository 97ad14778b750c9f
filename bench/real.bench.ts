// Real-repository compatibility benchmark (issue 12 item 7): public repositories nobody here wrote,
// pinned in bench/real/corpus.json, each set up outside the project tree, then: the project's own
// test command once (plain run: does the checkout pass, runner totals; also the warm-up),
// `fixloop init`, each suite of that policy run plainly (timed: the loop-time ratio's denominator;
// its runner summary read with the suite's format and compared with fixloop's totals for it), a
// clean `fixloop run --no-llm --json`, and fixloop runs on seeded faults of the repair bench's kinds.
// fixloop is the build (`npm run build` once at the start, then dist/cli.js via bench/real/fixloop-dist.mjs).
//   FIXLOOP_REAL_DIR   where checkouts, virtualenvs and package-manager versions go (default /work/real or $TMPDIR/fixloop-real)
//   FIXLOOP_MIRROR_DIR where fetched mirrors are (default /work/.mirror; the bench never fetches)
//   BENCH_ONLY=name,name  a subset · BENCH_SETUP_ONLY=1  clone and install only
//   BENCH_RENDER_ONLY=1  only write real.md again from real.json
//   BENCH_FAULTS=N (default 2) faults per repository; BENCH_FAULTS=keep: a clean-only pass that keeps
//     each entry's stored faults (and which fixloop measured them); BENCH_SKIP_FAULTS=1 (or BENCH_FAULTS=0): none
//   BENCH_SEED=S (default 12) · BENCH_TRIES=N (default 3) sites tried per kind
//   BENCH_FIXLOOP=src  run bin/fixloop.js through tsx instead of the build (no build step)
//   BENCH_PLAIN_TIMEOUT_SEC (600) · BENCH_LOOP_TIMEOUT_SEC (900)
// Results are merged by entry name into bench/results/real.json, so a subset run keeps the others.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXLOOP_FROM, faultRuns, fixloopInit, fixloopRun, plainRun, type EntryResult, type FaultsMeasured } from './real/loop.js';
import { renderReport, type Stored } from './real/report.js';
import { REAL_DIR, checkoutOf, exec, resetCheckout, setUp, type Entry, type Setup } from './real/setup.js';
import { allEqual, checkSuites, plainSuiteRuns, plainSuitesMs } from './real/suites.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const SETUP_ONLY = process.env.BENCH_SETUP_ONLY === '1';
const KEEP_FAULTS = process.env.BENCH_FAULTS === 'keep';
const FAULTS = KEEP_FAULTS ? 0 : Number(process.env.BENCH_FAULTS ?? 2);
const SKIP_FAULTS = process.env.BENCH_SKIP_FAULTS === '1' || (!KEEP_FAULTS && FAULTS === 0);
if (!KEEP_FAULTS && !Number.isInteger(FAULTS)) throw new Error(`BENCH_FAULTS=${process.env.BENCH_FAULTS}: a number of faults per repository, or "keep" to keep the stored ones`);
const SEED = Number(process.env.BENCH_SEED ?? 12);
const TRIES = Number(process.env.BENCH_TRIES ?? 3);
const JSON_OUT = path.join(ROOT, 'bench/results/real.json');
const MD_OUT = path.join(ROOT, 'bench/results/real.md');

async function setUpAll(entries: Entry[]): Promise<Map<string, Setup>> {
  const done = new Map<string, Setup>();
  const queue = [...entries];
  // Two at a time: installs are the slow part, and the machine is shared.
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const setup = await setUp(entry);
      done.set(entry.name, setup);
      console.error(`setup ${entry.name}: ${setup.ok ? `ok (${entry.runner} ${setup.runnerVersion ?? '?'})` : `FAILED\n${setup.error}`}`);
    }
  };
  await Promise.all([worker(), worker()]);
  return done;
}

/** The stored faults of an entry, with which fixloop measured them (older records: the entry's own stamp, divided by the test command's time). */
function keptFaults(previous: Stored | undefined): Pick<EntryResult, 'faults' | 'faultsNote' | 'faultsMeasured'> {
  if (!previous || (!previous.faults && !previous.faultsNote)) return { faultsNote: 'kept (BENCH_FAULTS=keep), but none stored for this entry' };
  const faultsMeasured: FaultsMeasured | undefined =
    previous.faultsMeasured ?? (previous.faults && previous.plain ? { fixloop: previous.fixloop, at: previous.at, plainMs: previous.plain.ms, plainOf: 'test command' } : undefined);
  return { faults: previous.faults, faultsNote: previous.faultsNote, ...(faultsMeasured ? { faultsMeasured } : {}) };
}

async function measure(entry: Entry, head: string, started: string, previous: Stored | undefined): Promise<EntryResult> {
  const dir = checkoutOf(entry);
  await resetCheckout(entry, entry.commit);
  // Once, not timed against the loop: it says whether the checkout passes its own test command (and
  // whether a fault is noticed), and warms the caches (transforms, .pyc, turbo) for the runs below.
  const plain = await plainRun(entry);
  console.error(`  plain: exit ${plain.exitCode}, ${(plain.ms / 1000).toFixed(1)} s, runner totals ${plain.totals ? JSON.stringify({ ...plain.totals, lines: undefined }) : 'none printed'}`);
  const init = await fixloopInit(entry);
  console.error(`  init: ${init.wrote ? 'wrote loop.policy.json' : `no policy (exit ${init.exitCode})`}`);
  let base = entry.commit;
  if (init.wrote) {
    await exec('git add loop.policy.json && git commit -q --no-verify -m "chore: loop.policy.json from fixloop init"', { cwd: dir, timeoutMs: 60_000 });
    base = (await exec('git rev-parse HEAD', { cwd: dir, timeoutMs: 60_000 })).stdout.trim();
  } else {
    await resetCheckout(entry, entry.commit);
  }
  const runs = init.wrote ? await plainSuiteRuns(entry, init.policy) : [];
  await resetCheckout(entry, base);
  const loop = await fixloopRun(entry);
  const suiteChecks = checkSuites(entry.runner, runs, loop.suites);
  for (const c of suiteChecks) console.error(`  suite ${c.suite}: plain exit ${c.plain.exitCode}, ${(c.plain.ms / 1000).toFixed(1)} s; ${c.equal ? 'equal' : `not equal: ${c.why}`}`);
  const clean = { ...loop, totalsEqual: allEqual(suiteChecks) };
  console.error(`  clean run: ${loop.status ?? 'no run:end'} (exit ${loop.exitCode}), ${(loop.ms / 1000).toFixed(1)} s, totals ${JSON.stringify(loop.totals)}${loop.blockers.length ? `, blocked: ${loop.blockers.map((b) => b.reason).join(', ')}` : ''}`);
  const result: EntryResult = { plain, init, clean, suiteChecks, fixloopFrom: FIXLOOP_FROM };
  if (KEEP_FAULTS) Object.assign(result, keptFaults(previous));
  else if (SKIP_FAULTS) result.faultsNote = 'skipped (BENCH_SKIP_FAULTS=1)';
  else if (plain.exitCode !== 0) result.faultsNote = 'not injected: the clean checkout does not pass its own test command, so a fault cannot be told apart';
  else {
    const suitesMs = plainSuitesMs(suiteChecks);
    result.faultsMeasured = { fixloop: head, at: started, plainMs: suitesMs ?? plain.ms, plainOf: suitesMs === undefined ? 'test command' : 'suites' };
    result.faults = await faultRuns(entry, base, loop, FAULTS, SEED, TRIES);
  }
  await resetCheckout(entry, entry.commit);
  return result;
}

function load(): Record<string, Stored> {
  return existsSync(JSON_OUT) ? ((JSON.parse(readFileSync(JSON_OUT, 'utf8')) as { results: Record<string, Stored> }).results ?? {}) : {};
}

async function main(): Promise<void> {
  const corpus = JSON.parse(readFileSync(path.join(ROOT, 'bench/real/corpus.json'), 'utf8')) as { entries: Entry[] };
  if (process.env.BENCH_RENDER_ONLY === '1') {
    writeFileSync(MD_OUT, renderReport(corpus.entries, load()));
    return;
  }
  const entries = corpus.entries.filter((e) => ONLY.length === 0 || ONLY.includes(e.name));
  if (entries.length === 0) throw new Error(`BENCH_ONLY=${ONLY.join(',')} names no entry of bench/real/corpus.json (names: ${corpus.entries.map((e) => e.name).join(', ')})`);
  mkdirSync(REAL_DIR, { recursive: true });
  console.error(`real bench: ${entries.length} entries in ${REAL_DIR}`);
  const setups = await setUpAll(entries);
  if (SETUP_ONLY) return;
  const head = (await exec('git rev-parse --short HEAD', { cwd: ROOT, timeoutMs: 60_000 })).stdout.trim();
  if (FIXLOOP_FROM === 'dist') {
    const built = await exec('npm run build', { cwd: ROOT, timeoutMs: 600_000 });
    if (built.code !== 0) throw new Error(`\`npm run build\` failed (exit ${built.code}); fix the build or run the bench from source with BENCH_FIXLOOP=src:\n${built.out.slice(-3000)}`);
    console.error(`built dist/ (${(built.ms / 1000).toFixed(1)} s): fixloop runs from dist/cli.js`);
  }
  for (const entry of entries) {
    const setup = setups.get(entry.name)!;
    const started = new Date().toISOString();
    const load1 = loadavg()[0];
    console.error(`== ${entry.name} (${entry.repo} @ ${entry.commit.slice(0, 10)})`);
    const previous = load()[entry.name];
    const measured: EntryResult = setup.ok ? await measure(entry, head, started, previous).catch((err: Error) => ({ faultsNote: `bench error: ${err.stack ?? err.message}` })) : {};
    // Read again just before writing: another bench process may have stored other entries meanwhile.
    const results = load();
    results[entry.name] = { entry, setup, ...measured, fixloop: head, at: started, load: [load1, loadavg()[0]], cores: cpus().length };
    mkdirSync(path.dirname(JSON_OUT), { recursive: true });
    // Written after every entry, so an interrupted run keeps what it measured.
    writeFileSync(JSON_OUT, `${JSON.stringify({ corpus: corpus.entries.map((e) => e.name), results }, null, 2)}\n`);
    writeFileSync(MD_OUT, renderReport(corpus.entries, results));
  }
  console.error(`wrote ${path.relative(ROOT, JSON_OUT)} and ${path.relative(ROOT, MD_OUT)}`);
}

await main();
