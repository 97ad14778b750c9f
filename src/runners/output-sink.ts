// A command's output as fixloop keeps it: the end of it in memory for the parsers, the whole of
// it in the log file (colour codes removed, secrets redacted), and each piece to a live reader.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { secretRedactor } from '../secrets.js';

/** Keeps the end of a stream of text within a bound, without copying on every chunk. */
class TailBuffer {
  private chunks: string[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    if (this.limit <= 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
  }

  text(): string {
    const joined = this.chunks.join('');
    if (joined.length <= this.limit) return joined;
    this.truncated = true;
    return joined.slice(joined.length - this.limit);
  }
}

/**
 * Output as plain text, chunk by chunk, for the log file: colour codes removed (the log is read in
 * editors and searched with grep), and a code cut in two by a chunk boundary held back until whole.
 */
class PlainText {
  private pending = '';
  push(chunk: string, end = false): string {
    let text = this.pending + chunk;
    this.pending = '';
    const cut = end ? null : /\u001b(\[[0-9;?]*)?$/.exec(text);
    if (cut) {
      this.pending = cut[0];
      text = text.slice(0, cut.index);
    }
    return stripVTControlCharacters(text);
  }
}


export class OutputSink {
  private readonly keep: TailBuffer;
  private readonly plain = new PlainText();
  private readonly log: WriteStream | undefined;
  // The log is stored: a secret's value a test printed is not.
  private readonly redact = secretRedactor();

  constructor(
    keepChars: number,
    logFile: string | undefined,
    private readonly onOutput: ((text: string) => void) | undefined,
  ) {
    this.keep = new TailBuffer(keepChars);
    if (logFile) {
      mkdirSync(path.dirname(logFile), { recursive: true });
      this.log = createWriteStream(logFile);
    }
  }

  push(chunk: string): void {
    this.keep.push(chunk);
    if (!this.log && !this.onOutput) return;
    const text = this.plain.push(chunk);
    this.onOutput?.(text);
    this.log?.write(this.redact(text));
  }

  /** The rest of the output to the reader and the log, and the log closed. */
  async close(): Promise<void> {
    if (!this.log && !this.onOutput) return;
    const rest = this.plain.push('', true);
    this.onOutput?.(rest);
    const log = this.log;
    if (!log) return;
    log.write(this.redact(rest));
    await new Promise<void>((resolve) => log.end(resolve));
  }

  /** The kept end of the output, plain text with newlines. */
  text(): string {
    return stripVTControlCharacters(this.keep.text()).replace(/\r\n?/g, '\n');
  }

  get truncated(): boolean {
    return this.keep.truncated;
  }
}
