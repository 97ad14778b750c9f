// Real-repository compatibility benchmark (issue 12 item 7): public repositories nobody here wrote,
// pinned in bench/real/corpus.json, each set up outside the project tree, then: the project's own
// test command (plain run, runner totals from its summary), `fixloop init`, a clean
// `fixloop run --no-llm --json`, and fixloop runs on seeded faults of the repair bench's kinds.
//   FIXLOOP_REAL_DIR   where checkouts, virtualenvs and package-manager versions go (default /work/real or $TMPDIR/fixloop-real)
//   FIXLOOP_MIRROR_DIR where fetched mirrors are (default /work/.mirror; the bench never fetches)
//   BENCH_ONLY=name,name  a subset · BENCH_SKIP_FAULTS=1  no fault injection · BENCH_SETUP_ONLY=1  clone and install only
//   BENCH_RENDER_ONLY=1  only write real.md again from real.json
//   BENCH_FAULTS=N (default 2) faults per repository · BENCH_SEED=S (default 12) · BENCH_TRIES=N (default 3) sites tried per kind
// Results are merged by entry name into bench/results/real.json, so a subset run keeps the others.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { faultRuns, fixloopInit, fixloopRun, plainRun, runnerSuiteTotals, totalsEqual, type EntryResult } from './real/loop.js';
import { renderReport, type Stored } from './real/report.js';
import { REAL_DIR, checkoutOf, exec, resetCheckout, setUp, type Entry, type Setup } from './real/setup.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const SKIP_FAULTS = process.env.BENCH_SKIP_FAULTS === '1';
const SETUP_ONLY = process.env.BENCH_SETUP_ONLY === '1';
const FAULTS = Number(process.env.BENCH_FAULTS ?? 2);
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

async function measure(entry: Entry): Promise<EntryResult> {
  const dir = checkoutOf(entry);
  await resetCheckout(entry, entry.commit);
  await plainRun(entry); // warm-up: caches (transforms, .pyc, turbo) as the loop's own first run finds them
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
  const loop = await fixloopRun(entry);
  const runnerSuites = runnerSuiteTotals(loop, init.policy);
  const clean = { ...loop, totalsEqual: totalsEqual(runnerSuites?.totals ?? loop.totals, plain.totals), ...(runnerSuites ? { runnerSuites } : {}) };
  console.error(`  clean run: ${loop.status ?? 'no run:end'} (exit ${loop.exitCode}), ${(loop.ms / 1000).toFixed(1)} s, totals ${JSON.stringify(loop.totals)}${loop.blockers.length ? `, blocked: ${loop.blockers.map((b) => b.reason).join(', ')}` : ''}`);
  const result: EntryResult = { plain, init, clean };
  if (SKIP_FAULTS) result.faultsNote = 'skipped (BENCH_SKIP_FAULTS=1)';
  else if (plain.exitCode !== 0) result.faultsNote = 'not injected: the clean checkout does not pass its own test command, so a fault cannot be told apart';
  else result.faults = await faultRuns(entry, base, loop, FAULTS, SEED, TRIES);
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
  for (const entry of entries) {
    const setup = setups.get(entry.name)!;
    const started = new Date().toISOString();
    const load1 = loadavg()[0];
    console.error(`== ${entry.name} (${entry.repo} @ ${entry.commit.slice(0, 10)})`);
    const measured: EntryResult = setup.ok ? await measure(entry).catch((err: Error) => ({ faultsNote: `bench error: ${err.stack ?? err.message}` })) : {};
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
