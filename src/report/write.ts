import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IterationRecord } from '../model.js';
import type { ReportOptions } from './facts.js';
import { iterationJson, renderIterationMarkdown } from './iteration.js';

/** Writes iteration-<n>.md and iteration-<n>.json into `dir` (created if needed); returns their absolute paths. */
export async function writeIterationReport(dir: string, rec: IterationRecord, opts: ReportOptions = {}): Promise<string[]> {
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  const md = path.join(root, `iteration-${rec.iteration}.md`);
  const json = path.join(root, `iteration-${rec.iteration}.json`);
  await writeFile(md, renderIterationMarkdown(rec, opts), 'utf8');
  await writeFile(json, `${JSON.stringify(iterationJson(rec, opts), null, 2)}\n`, 'utf8');
  return [md, json];
}
