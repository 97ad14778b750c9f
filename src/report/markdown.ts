// Markdown building blocks. Test names, messages and diffs are arbitrary text: every helper
// here makes sure such text cannot break the table or fence it lands in.

/** One line: newlines folded, long text clipped (table() escapes the pipes). */
export function cell(text: string, max = 300): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** Inline code that survives backticks in the text (CommonMark: a longer delimiter run). */
export function code(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside, so output tails cannot close it early. */
export function fence(body: string, lang = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${ticks}${lang}\n${body.replace(/\n+$/, '')}\n${ticks}`;
}

/** GFM splits rows on every unescaped pipe, even inside code spans, so each cell escapes its own. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "1 test", "2 tests", "0 tests"; `many` for irregular plurals. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function subject(message: string): string {
  return message.split('\n', 1)[0].trim();
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** Lists long enough to drown a report are cut, and the cut is said. */
export function codeList(items: string[], max = 20): string {
  const shown = items.slice(0, max).map(code).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** The first `max` lines of a diff, and how many were left out. */
export function excerpt(text: string, max: number): { text: string; omitted: number } {
  const lines = text.replace(/\n+$/, '').split('\n');
  return { text: lines.slice(0, max).join('\n'), omitted: Math.max(0, lines.length - max) };
}
