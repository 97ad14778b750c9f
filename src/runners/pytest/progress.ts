// pytest says how many tests it collected, then prints a character per test as it ends:
// `tests/test_price.py F.FsF.            [100%]` (. passed, F failed, E error, s skipped, x/X xfail).
import { add, lineCounter, type ProgressCounter } from '../progress.js';

export function pytestProgress(): ProgressCounter {
  return lineCounter((line, progress) => {
    const collected = /^collected (\d+) items?/.exec(line);
    if (collected) progress.expected = Number(collected[1]);
    const dots = /^\S+\.py ([.FEsxX]+)(?:\s+\[\s*\d+%\])?$/.exec(line) ?? /^([.FEsxX]+)\s+\[\s*\d+%\]$/.exec(line);
    if (!dots) return;
    add(progress, 'tests', dots[1].length);
    add(progress, 'failed', dots[1].replace(/[^FE]/g, '').length);
  });
}
