// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) one after
// another in its own process, so one benchmark's memory does not weigh on the next. Each writes
// its own results file under bench/results/.
// real.bench.ts (public repositories, installs, minutes per repository) runs only when named:
// `npm run bench -- real`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const ONLY_WHEN_NAMED = ['real.bench.ts'];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => (wanted.length === 0 ? !ONLY_WHEN_NAMED.includes(f) : wanted.some((w) => f.includes(w))))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${wanted.join(' ') || '(none in bench/)'}`);
  process.exit(2);
}
let failed = 0;
for (const file of benches) {
  console.error(`== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
