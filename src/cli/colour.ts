// Colour for the terminal only: NO_COLOR turns it off, FORCE_COLOR (not "0") turns it on, and
// otherwise a stream gets colour exactly when it is a terminal. Pipes and files stay plain text.
import pc from 'picocolors';

export type Colours = ReturnType<typeof pc.createColors>;

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}

export function coloursFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colours {
  return pc.createColors(colourEnabled(stream, env));
}

/** A unified diff with added lines green, removed lines red and hunk headers cyan. */
export function colourDiff(diff: string, c: Colours): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      if (line.startsWith('@@')) return c.cyan(line);
      return line;
    })
    .join('\n');
}

/** Markdown with the lines of its ```diff blocks coloured. */
export function colourMarkdownDiffs(markdown: string, c: Colours): string {
  let inDiff = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^`{3,}diff\s*$/.test(line)) inDiff = true;
      else if (inDiff && /^`{3,}\s*$/.test(line)) inDiff = false;
      else if (inDiff) return colourDiff(line, c);
      return line;
    })
    .join('\n');
}
