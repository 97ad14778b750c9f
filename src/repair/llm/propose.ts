// The answer tool: a propose_patch call checked with zod, then against the files themselves, and
// turned into a Candidate. Every reason for refusing a call is written for the model to act on.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Candidate, FileChange, Problem } from '../../model.js';
import { candidateIdOf } from '../candidate.js';
import { resolveInside } from './paths.js';
import { COMMIT_TYPES } from '../../vcs/message.js';


export const ProposePatchSchema = z.strictObject({
  rationale: z.string().trim().min(1),
  rootCause: z.string().trim().min(1),
  edits: z
    .array(z.strictObject({ path: z.string().min(1), oldText: z.string().min(1, 'oldText is empty: copy the exact text to replace'), newText: z.string() }))
    .min(1),
  commit: z.strictObject({
    type: z.enum(COMMIT_TYPES),
    scope: z
      .string()
      .regex(/^[a-z][a-z0-9]*$/, 'scope must be one lowercase word, e.g. "env"')
      .optional(),
    subject: z
      .string()
      .trim()
      .min(1)
      .max(72, 'subject is longer than 72 characters')
      .refine((s) => !s.includes('\n'), 'subject must be one line')
      .refine((s) => !s.endsWith('.'), 'subject must not end with a period'),
    body: z.string().optional(),
  }),
});

export type ProposePatch = z.infer<typeof ProposePatchSchema>;

export type Proposal = { ok: true; candidate: Candidate } | { ok: false; reason: string };

/** Validates a propose_patch input against the schema and the repository at root. */
export function candidateFrom(input: unknown, root: string, problem: Problem, provider: string): Proposal {
  const parsed = ProposePatchSchema.safeParse(input);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    return { ok: false, reason: `propose_patch is malformed:\n- ${reasons.join('\n- ')}` };
  }
  const patch = parsed.data;
  // Edits to one file apply in order, each to the text the previous one left.
  const files = new Map<string, { before: string; after: string }>();
  for (const [i, edit] of patch.edits.entries()) {
    const where = resolveInside(root, edit.path);
    if (!where.ok) return { ok: false, reason: `edits.${i}.path: ${where.reason}` };
    let file = files.get(where.rel);
    if (!file) {
      let text: string;
      try {
        text = readFileSync(where.abs, 'utf8');
      } catch {
        return { ok: false, reason: `edits.${i}.path: ${where.rel} does not exist (edits change existing files)` };
      }
      file = { before: text, after: text };
      files.set(where.rel, file);
    }
    const count = occurrences(file.after, edit.oldText);
    if (count === 0) return { ok: false, reason: `edits.${i}.oldText does not occur in ${where.rel}: copy it exactly from read_file, without the line numbers` };
    if (count > 1) return { ok: false, reason: `edits.${i}.oldText occurs ${count} times in ${where.rel}: include surrounding lines so it occurs exactly once` };
    if (edit.oldText === edit.newText) return { ok: false, reason: `edits.${i}: newText is the same as oldText` };
    const at = file.after.indexOf(edit.oldText);
    file.after = file.after.slice(0, at) + edit.newText + file.after.slice(at + edit.oldText.length);
  }
  const changes: FileChange[] = [...files].filter(([, f]) => f.before !== f.after).map(([path, f]) => ({ path, before: f.before, after: f.after }));
  if (changes.length === 0) return { ok: false, reason: 'the edits change nothing' };
  const { commit } = patch;
  return {
    ok: true,
    candidate: {
      id: candidateIdOf('llm', changes),
      problemId: problem.id,
      provider,
      title: commit.subject,
      rationale: patch.rationale,
      rootCause: patch.rootCause,
      patch: { changes },
      commit: { type: commit.type, scope: commit.scope, subject: commit.subject, body: commit.body },
    },
  };
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1 && count < 3; at = text.indexOf(needle, at + 1)) count++;
  return count;
}
