// `pytest --collect-only -q` counts the tests without running them; files that cannot be
// collected are said, not counted.
import type { Discovery } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { firstErrorLine } from '../error-text.js';
import type { DiscoverContext } from '../registry.js';

export async function discoverPytest(suite: SuiteConfig, { text, run }: DiscoverContext): Promise<Discovery> {
  const result = await run(`${text} --collect-only -q`);
  const tail = result.outputTail;
  const collected = /(\d+) tests? collected/.exec(tail) ?? /^(\d+) tests?\b/m.exec(tail);
  const errors = /(\d+) errors?\b/.exec(tail.split('\n').filter((l) => /collected|error/.test(l)).at(-1) ?? '');
  if (collected) {
    const count = Number(collected[1]);
    return errors ? { suite: suite.name, count, reason: `${errors[1]} file${errors[1] === '1' ? '' : 's'} could not be collected: their tests are not counted` } : { suite: suite.name, count };
  }
  return { suite: suite.name, reason: `pytest --collect-only did not report a count: ${firstErrorLine(tail)}` };
}
