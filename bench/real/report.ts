// bench/results/real.md from the stored results: one row per corpus entry, the aggregates issue 12
// asks for, then what went wrong, entry by entry, in the tools' own words.
import type { EntryResult, FaultResult, Totals } from './loop.js';
import type { Entry, Setup } from './setup.js';
import type { RunnerTotals } from './summary.js';
import { plainSuitesMs } from './suites.js';

export type Stored = EntryResult & { entry: Entry; setup: Setup; fixloop: string; at: string; load: number[]; cores: number };

const s = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
const yn = (v: boolean | undefined) => (v === undefined ? '–' : v ? 'yes' : 'no');

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function totals(t: Totals | RunnerTotals | undefined): string {
  return t ? `${t.tests} (${t.passed}✓ ${t.failed}✗ ${t.skipped}↷)` : '–';
}

/**
 * The policy init wrote works as written: every suite ran and reported (no blocker, no error), and
 * where the project's own test command passes, the clean run is green too (no suite init added
 * fails on a clean checkout: browser, examples, pack scripts...).
 */
export function runsUnedited(r: EntryResult): boolean | undefined {
  if (!r.clean || !r.init) return undefined;
  const ran = r.init.wrote && r.clean.status !== undefined && r.clean.status !== 'error' && r.clean.status !== 'blocked' && r.clean.blockers.length === 0;
  return ran && (r.plain?.exitCode !== 0 || r.clean.status === 'green');
}

/** The plain time the clean loop is divided by: the policy's suites run plainly; older records: the project's test command (marked †). */
function cleanBase(r: Stored): { ms: number | undefined; old: boolean } {
  const suites = r.suiteChecks ? plainSuitesMs(r.suiteChecks) : undefined;
  return suites !== undefined ? { ms: suites, old: false } : { ms: r.plain?.ms, old: true };
}

/** The plain time the fault loops are divided by, stored with the faults (kept faults keep theirs). */
function faultBase(r: Stored): { ms: number | undefined; old: boolean } {
  return r.faultsMeasured ? { ms: r.faultsMeasured.plainMs, old: r.faultsMeasured.plainOf !== 'suites' } : { ms: r.plain?.ms, old: true };
}

const ratio = (ms: number, base: { ms: number | undefined; old: boolean }) => (base.ms ? `${(ms / base.ms).toFixed(1)}×${base.old ? '†' : ''}` : '–');

/** Per suite for current records; older records compared all counted suites with the test command's summary (marked †). */
function equalCell(r: Stored): string {
  if (r.suiteChecks) {
    const checks = r.suiteChecks;
    const exitCode = checks.filter((c) => c.format === 'exit-code').length;
    const n = `${checks.length} suite${checks.length === 1 ? '' : 's'}${exitCode ? `, ${exitCode} by exit code` : ''}`;
    if (r.clean?.totalsEqual) return `yes (${n})`;
    if (!checks.length) return '–';
    return `no (${n}): ${checks.filter((c) => c.equal !== true).map((c) => `${c.suite}: ${c.why ?? 'not compared'}`).join('; ')}`;
  }
  const counted = r.clean?.runnerSuites?.totals ?? r.clean?.totals;
  const besides = r.clean?.runnerSuites ? ` (+${r.clean.runnerSuites.exitCodeSuites.length} exit-code)` : '';
  if (r.clean?.totalsEqual === undefined) return '–';
  return r.clean.totalsEqual ? `yes${besides} †` : `no: ${totals(counted)}${besides} vs ${totals(r.plain?.totals)} †`;
}

/** Which fixloop measured the clean run (and the faults, when kept from another run), and how it was started. */
function fixloopCell(r: Stored): string {
  const clean = `${r.fixloop}${r.fixloopFrom === 'dist' ? '' : ' (src)'}`;
  const f = r.faultsMeasured;
  return f && f.fixloop !== r.fixloop ? `${clean}; faults ${f.fixloop} (${f.at.slice(0, 16).replace('T', ' ')})` : clean;
}

function faultCell(r: Stored): string {
  if (!r.faults) return r.faultsNote?.startsWith('skipped') ? 'skipped' : '–';
  const n = (o: FaultResult['outcome']) => r.faults!.filter((f) => f.outcome === o).length;
  return `${n('fixed')}/${n('wrong-commit')}/${n('left')}`;
}

function row(e: Entry, r: Stored | undefined): string {
  if (!r) return `| ${e.name} | ${e.runner} ${e.runnerMajor} | ${e.manager} | not run yet | | | | | | | | | |`;
  if (!r.setup.ok) return `| ${e.name} | ${e.runner} ${e.runnerMajor} | ${e.manager} | setup failed | – | – | – | – | – | – | – | ${r.fixloop} | – |`;
  const plain = r.plain ? `exit ${r.plain.exitCode}${r.plain.timedOut ? ' (timeout)' : ''}, ${s(r.plain.ms)} s` : '–';
  const suites = r.suiteChecks?.length ? `${s(plainSuitesMs(r.suiteChecks))} s` : '–';
  const clean = r.clean ? `${r.clean.status ?? `no run:end (exit ${r.clean.exitCode})`}${r.clean.blockers.length ? ` [${r.clean.blockers.map((b) => b.reason).join(', ')}]` : ''}` : '–';
  const cleanRatio = r.clean ? ratio(r.clean.ms, cleanBase(r)) : '–';
  const fb = faultBase(r);
  const faultRatio = r.faults?.length && fb.ms ? `${median(r.faults.map((f) => f.loop.ms / fb.ms!))!.toFixed(1)}×${fb.old ? '†' : ''}` : '–';
  const load = r.load?.length ? r.load.map((l) => l.toFixed(1)).join('–') : '–';
  return `| ${e.name} | ${e.runner} ${r.setup.runnerVersion ?? e.runnerMajor} | ${e.manager} | ${plain} | ${suites} | ${yn(r.init?.wrote)} | ${yn(runsUnedited(r))} | ${equalCell(r)} | ${clean} | ${faultCell(r)} | ${cleanRatio} | ${faultRatio} | ${fixloopCell(r)} | ${load} |`;
}

function problems(e: Entry, r: Stored): string[] {
  const out: string[] = [];
  const block = (title: string, raw: string | undefined) => {
    // Older results kept stderr and stdout interleaved: the JSON event lines are not the error.
    const text = raw?.split('\n').filter((l) => !l.startsWith('{"type"')).join('\n');
    if (text) out.push(`- ${title}:\n\n  \`\`\`\n${text.split('\n').map((l) => `  ${l}`).join('\n')}\n  \`\`\``);
  };
  if (!r.setup.ok) block('setup', r.setup.error);
  if (r.plain && (r.plain.exitCode !== 0 || !r.plain.totals)) block(`plain run \`${e.test}\` (exit ${r.plain.exitCode}${r.plain.totals ? '' : ', no runner summary read'})`, r.plain.tail);
  if (r.init && !r.init.wrote) block(`fixloop init (exit ${r.init.exitCode})`, r.init.message);
  const suites = (r.init?.policy as { suites?: { name: string; command: string; format?: string }[] } | undefined)?.suites;
  if (suites) out.push(`- init's suites: ${suites.map((x) => `${x.name} \`${x.command}\` (${x.format ?? 'auto'})`).join(', ')}`);
  for (const b of r.clean?.blockers ?? []) block(`clean run: suite "${b.suite}" blocked (${b.reason})`, b.message);
  if (r.clean && (r.clean.status === undefined || r.clean.status === 'error')) block(`clean run: ${r.clean.status ?? 'no run:end'} (exit ${r.clean.exitCode})${r.clean.error ? `: ${r.clean.error}` : ''}`, r.clean.tail);
  if (r.suiteChecks?.length) {
    const each = r.suiteChecks.map((c) => `${c.suite} exit ${c.plain.exitCode}, ${s(c.plain.ms)} s, runner ${c.format === 'exit-code' ? 'counts none' : totals(c.plain.totals)}, fixloop ${totals(c.fixloop)}`);
    out.push(`- suites run plainly: ${each.join('; ')}`);
  }
  for (const c of r.suiteChecks ?? []) {
    if (c.equal === true) continue;
    const lines = c.plain.totals?.lines.map((l) => `\`${l}\``).join('; ');
    out.push(`- suite "${c.suite}" \`${c.command}\` (${c.format}) run plainly: exit ${c.plain.exitCode}, ${c.equal === false ? 'totals differ' : 'not compared'}: ${c.why ?? ''}${lines ? ` (runner lines: ${lines})` : ''}`);
    if (c.plain.tail) block(`  its output`, c.plain.tail);
  }
  if (!r.suiteChecks && r.clean?.runnerSuites) out.push(`- compared with the runner's totals without the suites judged by exit code, which it does not count: ${r.clean.runnerSuites.exitCodeSuites.join(', ')}`);
  if (!r.suiteChecks && r.clean?.totalsEqual === false) out.push(`- totals differ: fixloop ${totals(r.clean.runnerSuites?.totals ?? r.clean.totals)} vs runner ${totals(r.plain?.totals)} (runner lines: ${r.plain?.totals?.lines.map((l) => `\`${l}\``).join('; ')})`);
  const failedSuites = (r.clean?.suites ?? []).filter((x) => x.totals.failed > 0 || x.totals.loadErrors);
  if (r.plain?.exitCode === 0 && failedSuites.length) out.push(`- clean run: suites failing on a checkout whose own tests pass: ${failedSuites.map((x) => `${x.suite} ${totals(x.totals)}`).join(', ')}`);
  if (r.clean && r.clean.commits.length) out.push(`- clean run committed on a green checkout: ${r.clean.commits.map((c) => `${c.message} (${c.files.join(', ')})`).join('; ')}`);
  for (const f of r.faults ?? []) {
    if (f.outcome === 'fixed') continue;
    out.push(`- fault ${f.kind} ${f.file} ${f.description}: ${f.outcome}, ${f.why}${f.loop.blockers.length ? `; blocked: ${f.loop.blockers.map((b) => `${b.reason}: ${b.message.split('\n')[0]}`).join('; ')}` : ''}`);
    if (f.loop.tail && f.loop.status !== 'failing') block('  its stderr', f.loop.tail);
  }
  if (r.faultsNote && !r.faultsNote.startsWith('skipped')) out.push(`- faults ${r.faultsNote}`);
  return out;
}

export function renderReport(corpus: Entry[], results: Record<string, Stored>): string {
  const ran = corpus.map((e) => results[e.name]).filter((r): r is Stored => r !== undefined && r.setup.ok && r.clean !== undefined);
  const faults = ran.flatMap((r) => (r.faults ?? []).map((f) => ({ r, f })));
  const fixed = faults.filter(({ f }) => f.outcome === 'fixed').length;
  const wrong = faults.filter(({ f }) => f.outcome === 'wrong-commit').length;
  const ratios = ran.filter((r) => cleanBase(r).ms).map((r) => r.clean!.ms / cleanBase(r).ms!);
  const faultRatios = faults.filter(({ r }) => faultBase(r).ms).map(({ r, f }) => f.loop.ms / faultBase(r).ms!);
  const oldClean = ran.filter((r) => cleanBase(r).old).length;
  const oldFaults = ran.filter((r) => r.faults?.length && faultBase(r).old).length;
  const oldEqual = ran.filter((r) => !r.suiteChecks).length;
  const fromDist = ran.filter((r) => r.fixloopFrom === 'dist').length;
  const stamps = [...new Set(ran.flatMap((r) => [r.fixloop, ...(r.faultsMeasured ? [r.faultsMeasured.fixloop] : [])]))].join(', ');
  const loads = ran.flatMap((r) => r.load);
  const lines = [
    '# Real-repository compatibility benchmark',
    '',
    `\`npm run bench -- real\` (bench/real.bench.ts) over the ${corpus.length} repositories pinned in bench/real/corpus.json, with fixloop at ${stamps || '–'}; ` +
      `${ran.length} measured, on ${ran[0]?.cores ?? '?'} cores shared with other work (1-minute load ${loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '–'}: times are noisy). ` +
      `fixloop ran from its build (dist/cli.js, as an installed package runs) in ${fromDist} of ${ran.length}, from src through tsx in the others (marked (src)). ` +
      'Plain run = the project\'s own test command, run once (it decides whether the checkout passes and warms caches); plain suites = each suite of the policy init wrote run once by itself, as written (setup, command, directory), summed: the loop times are divided by that. ' +
      'Totals equal = per suite, the runner\'s own summary of that plain suite run (read with the suite\'s format) against fixloop\'s count for the suite; a suite judged by exit code is equal when both agree on pass/fail. ' +
      'Totals are tests (passed✓ failed✗ skipped↷). † = an older record: totals compared over the counted suites with the test command\'s summary, ratios divided by the test command\'s time (then the second of two runs). ' +
      'Faults = fixed / wrong commit / left unfixed, one fault per loop run, kinds of bench/faults.ts in source files only (Python: the same kinds, line-based, bench/real/py-faults.ts).',
    '',
    '## Aggregates',
    '',
    `- policies written by \`fixloop init\`: ${ran.filter((r) => r.init?.wrote).length}/${corpus.length}`,
    `- policies that run unedited (every suite ran and reported; green on a checkout whose own test command passes): ${ran.filter((r) => runsUnedited(r)).length}/${corpus.length}`,
    `- fixloop totals equal to the runner's own: ${ran.filter((r) => r.clean!.totalsEqual).length}/${corpus.length}${oldEqual ? ` (${oldEqual} older records compared the test command's summary †)` : ''}`,
    `- clean runs that end green: ${ran.filter((r) => r.clean!.status === 'green').length}/${corpus.length} (plain runs that pass: ${ran.filter((r) => r.plain?.exitCode === 0).length})`,
    `- non-logic faults fixed: ${fixed}/${faults.length}${faults.length ? ` (${Math.round((100 * fixed) / faults.length)}%)` : ''}; wrong commits: ${wrong}`,
    `- median clean loop time / plain run of the same suites: ${median(ratios)?.toFixed(1) ?? '–'}×${oldClean ? ` (${oldClean} older records divided by the test command †)` : ''}; with a fault: ${median(faultRatios)?.toFixed(1) ?? '–'}×${oldFaults ? ` (${oldFaults} entries' faults divided by the test command †)` : ''}`,
    '',
    '## Repositories',
    '',
    '| entry | runner | manager | plain run (test command) | plain suites | init wrote policy | policy runs unedited | totals equal, per suite (fixloop vs runner) | clean run | faults fixed/wrong/left | clean loop / plain suites | fault loop / plain suites | fixloop (clean; faults when kept) | 1-min load (start–end) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...corpus.map((e) => row(e, results[e.name])),
    '',
    '## What went wrong, per repository',
    '',
  ];
  for (const e of corpus) {
    const r = results[e.name];
    if (!r) continue;
    const found = problems(e, r);
    lines.push(`### ${e.name} (${e.repo} @ ${e.commit.slice(0, 10)}, ${e.pinned})`, '', found.length ? found.join('\n') : '- nothing', '');
  }
  return lines.join('\n');
}
