// Run by `npm run test:browser` (needs Debian's chromium; .ci/run installs it). Renders the run
// summary in headless Chromium with the network shut off and checks what a person would see.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunSummary } from '../../src/report/index.js';
import { blockedOf, failingOf } from '../../src/report/failing.js';
import { blockedRecord, demoRecord } from '../report/records.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function chromium(args: string[]): string {
  const profile = mkdtempSync(path.join(tmpdir(), 'fixloop-chromium-'));
  return execFileSync(
    CHROMIUM,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
      // Any request the page tried to make would fail to resolve: the page must not need one.
      '--host-resolver-rules=MAP * ~NOTFOUND',
      ...args,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
}

async function writeDemoSummary(): Promise<string> {
  const rec = demoRecord();
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-html-'));
  const [, html] = await writeRunSummary(dir, {
    maxIterations: 3,
    iterations: [rec],
    summary: {
      runId: rec.runId, status: 'green', stopReason: 'green', branch: `fixloop/${rec.runId}`, iterations: 1, commits: rec.commits,
      totalsBefore: rec.before.totals, totalsAfter: rec.after.totals, reportDir: dir, reports: [],
      startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:45.500Z',
    },
  });
  return html;
}

/** A run that ends with tests failing, a blocked suite and two open problems. */
async function writeFailingSummary(): Promise<string> {
  const rec = blockedRecord();
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-html-'));
  rec.after.suites[1].logFile = path.join(dir, '..', 'logs', 'e2e-2.log');
  const [, html] = await writeRunSummary(dir, {
    maxIterations: 3,
    iterations: [rec],
    summary: {
      runId: rec.runId, status: 'failing', stopReason: 'no-progress', branch: '', iterations: 1, commits: [],
      totalsBefore: rec.before.totals, totalsAfter: rec.after.totals, reportDir: dir, reports: [],
      startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:01:45.500Z',
      failing: failingOf(rec.after, rec.problems), blocked: blockedOf(rec.after),
    },
  });
  return html;
}

describe('summary.html in headless Chromium', () => {
  it('shows what still fails, the blocked suite with its reason and log, and each open problem with its next step', async () => {
    const html = await writeFailingSummary();
    const dom = chromium(['--dump-dom', `file://${html}`]);
    const rows = [...dom.matchAll(/<tr><td><code>([^<]*)<\/code><\/td><td>unit<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual([
      'test/legacy.test.ts (failed to load)',
      'test/price.test.ts &gt; price &gt; rounds up',
      'test/price.test.ts &gt; price &gt; rounds totals',
      'test/cart.test.ts &gt; cart | checkout &gt; applies coupon',
    ]);
    expect(dom).toContain('<tr><td>e2e</td><td><code>command-not-found</code></td><td>playwright: not found</td><td><a href="../logs/e2e-2.log">log</a></td></tr>');
    expect(dom.match(/<ol id="open-problems">(.*?)<\/ol>/s)?.[1].match(/<li>/g)).toHaveLength(2);
    expect(dom).toContain('Make test/legacy.test.ts load again: the error is raised at src/legacy.ts:3');
    const png = path.join(path.dirname(html), 'summary-failing.png');
    chromium(['--window-size=1000,1400', `--screenshot=${png}`, `file://${html}`]);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    // Where a person looks at what the page shows.
    console.log(`screenshot of a failing run's summary.html: ${png}`);
  });

  it('renders the headline, the chart and the fixes table from the file alone', async () => {
    const html = await writeDemoSummary();
    const dom = chromium(['--dump-dom', `file://${html}`]);
    expect(dom).toContain('The run ended green after 1 iteration because every suite is green');
    expect(dom.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(dom).toContain('<a href="#fix-1"><code>a3f9c2e</code></a>');
  });

  it('takes a 1000×1100 screenshot that is not blank', async () => {
    const html = await writeDemoSummary();
    const png = path.join(path.dirname(html), 'summary.png');
    chromium(['--window-size=1000,1100', `--screenshot=${png}`, `file://${html}`]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1000, 1100]);
    // A blank page of this size compresses to a few KB; text, tables and bars do not.
    expect(bytes.length).toBeGreaterThan(20_000);
  });
});
