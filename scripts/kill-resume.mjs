// Kill/resume battery, too slow for npm test (14 scenarios of 1-3 min each): each kills `fixloop
// run` (and sometimes the resume too) with SIGKILL at a point, resumes until the run ends, and
// checks that the fix is on the branch exactly once, the summary starts at the run's start with
// the fix's diff, and nothing (worktree, lock, temp folder, process) is left.
// Usage: node scripts/kill-resume.mjs [scenario…]; "commit" kills inside `git commit` (a sleeping post-commit hook).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'bin/fixloop.js');
const SUBJECT = 'fix(env): import missing parseBoolean in readEnv()';
const sh = (cwd, cmd, args) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function demoRepo(policy = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'battery-repo-'));
  cpSync(path.join(ROOT, 'fixtures/demo-app'), dir, { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  writeFileSync(path.join(dir, 'loop.policy.json'), JSON.stringify({ suites: [{ name: 'all', command: 'npx vitest run', timeoutSec: 300 }], ...policy }));
  sh(dir, 'git', ['init', '-q', '-b', 'main']);
  sh(dir, 'git', ['config', 'user.email', 'dev@example.com']);
  sh(dir, 'git', ['config', 'user.name', 'Dev']);
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['commit', '-qm', 'initial']);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function hook(repo) {
  const marker = path.join(repo, '.git', 'hook-pid');
  const file = path.join(repo, '.git', 'hooks', 'post-commit');
  writeFileSync(file, `#!/bin/sh\nif [ ! -e '${marker}' ]; then echo $$ > '${marker}.tmp' && mv '${marker}.tmp' '${marker}'; exec sleep 300; fi\n`);
  chmodSync(file, 0o755);
  return marker;
}

/** Runs `fixloop <cmd> --json`; kills it at the event type (or when `marker` appears). Returns { events, code }. */
function launch(repo, env, cmd, killAt, marker) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, cmd, '--json'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const events = [];
    let buf = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const l of lines) {
        const e = JSON.parse(l);
        events.push(e);
        if (e.type === killAt) child.kill('SIGKILL');
      }
    });
    let timer;
    if (marker) {
      timer = setInterval(() => {
        if (existsSync(marker)) {
          clearInterval(timer);
          child.kill('SIGKILL');
          setTimeout(() => process.kill(Number(readFileSync(marker, 'utf8')), 'SIGKILL'), 200);
        }
      }, 50);
    }
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ events, code: code ?? signal, err });
    });
  });
}

function processesWith(tmp) {
  const left = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TMPDIR=${tmp}`)) left.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {}
  }
  return left;
}

// [name, policy, steps]: each step is ['run'|'resume', killAt event | 'commit' | undefined (to the end)]
const SCENARIOS = {
  'run:start': [{}, [['run', 'run:start'], ['resume']]],
  'suites:start': [{}, [['run', 'suites:start'], ['resume']]],
  'suites:end': [{}, [['run', 'suites:end'], ['resume']]],
  'problem:found': [{}, [['run', 'problem:found'], ['resume']]],
  'candidate:proposed': [{}, [['run', 'candidate:proposed'], ['resume']]],
  'candidate:verified': [{}, [['run', 'candidate:verified'], ['resume']]],
  commit: [{}, [['run', 'commit'], ['resume']]],
  'fix:committed': [{}, [['run', 'fix:committed'], ['resume']]],
  'iteration:end': [{}, [['run', 'iteration:end'], ['resume']]],
  'commit+resume@suites:start': [{}, [['run', 'commit'], ['resume', 'suites:start'], ['resume']]],
  'commit+resume@run:resume': [{}, [['run', 'commit'], ['resume', 'run:resume'], ['resume']]],
  'verified+resume@candidate:proposed': [{}, [['run', 'candidate:verified'], ['resume', 'candidate:proposed'], ['resume']]],
  'commit,report.commit': [{ report: { commit: true } }, [['run', 'commit'], ['resume']]],
  'commit,branch=current': [{ git: { branch: 'current' } }, [['run', 'commit'], ['resume']]],
};

async function scenario(name) {
  const [policy, steps] = SCENARIOS[name];
  const repo = demoRepo(policy);
  const tmp = mkdtempSync(path.join(tmpdir(), 'battery-tmp-'));
  const env = { ...process.env, TMPDIR: tmp };
  let last;
  const problems = [];
  for (const [cmd, killAt] of steps) {
    const marker = killAt === 'commit' ? hook(repo) : undefined;
    last = await launch(repo, env, cmd, killAt === 'commit' ? undefined : killAt, marker);
    if (killAt && killAt !== 'commit' && last.events.at(-1)?.type !== killAt) problems.push(`${cmd} was not killed at ${killAt} (last ${last.events.at(-1)?.type})`);
  }
  const end = last.events.at(-1);
  const runId = end?.runId;
  if (last.code !== 0) problems.push(`last resume exit ${last.code}: ${last.err.trim().split('\n').at(-1)}`);
  if (end?.type !== 'run:end' || end.status !== 'green') problems.push(`ended ${end?.type} ${end?.status}`);
  if (end?.type === 'run:end' && end.commits.length !== 1) problems.push(`run:end has ${end.commits.length} commits`);
  const branch = policy.git?.branch === 'current' ? 'main' : `fixloop/${runId}`;
  const fixes = sh(repo, 'git', ['log', '--format=%s', `${sh(repo, 'git', ['rev-list', '--max-parents=0', 'HEAD'])}..${branch}`]).split('\n').filter((s) => s.startsWith('fix('));
  if (fixes.length !== 1 || fixes[0] !== SUBJECT) problems.push(`branch ${branch} fixes: ${JSON.stringify(fixes)}`);
  if (sh(repo, 'git', ['worktree', 'list']).split('\n').length !== 1) problems.push('worktree left');
  if (sh(repo, 'git', ['status', '--porcelain'])) problems.push(`dirty: ${sh(repo, 'git', ['status', '--porcelain'])}`);
  if (existsSync(path.join(repo, '.fixloop/lock'))) problems.push('lock left');
  const temps = readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f));
  if (temps.length) problems.push(`temp left: ${temps.join(', ')}`);
  const procs = processesWith(tmp);
  if (procs.length) problems.push(`processes left: ${procs.join(' | ')}`);
  const summary = existsSync(path.join(repo, '.fixloop/runs', runId ?? '-', 'summary.md')) ? readFileSync(path.join(repo, '.fixloop/runs', runId, 'summary.md'), 'utf8') : '';
  if (!summary.includes('| start | 3 | 3 | 0 | 0 | 4 |')) problems.push('summary chart does not start at the run start');
  if (!summary.includes("+import { parseBoolean, parseInteger } from './parse.js';")) problems.push('summary lacks the diff');
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}${problems.length ? `: ${problems.join('; ')}` : ''}`);
  return problems.length === 0;
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SCENARIOS);
let ok = 0;
for (const n of names) if (await scenario(n)) ok++;
console.log(`${ok}/${names.length} scenarios clean`);
