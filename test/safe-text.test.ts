import { describe, expect, it } from 'vitest';
import { safeMarkdown, stripControl } from '../src/safe-text.js';

describe('stripControl', () => {
  it('removes CSI and OSC sequences, bare controls (a C1 CSI takes its final byte) and bidi overrides; keeps tabs and newlines', () => {
    expect(stripControl('a\u001b[2Jb\u001b]0;title\u0007c\td\r\ne\u0008f\u202eg\u009bh')).toBe('abc\td\nefg');
  });
});

describe('safeMarkdown', () => {
  it('escapes HTML outside code and leaves code spans and fences as they are', () => {
    const md = ['- **Error:** <img src=x onerror=alert(1)> in `a <b> c` and ``x ` <y>``', '```diff', '+ <script>', '```', 'after <i>'].join('\n');
    expect(safeMarkdown(md)).toBe(
      ['- **Error:** &lt;img src=x onerror=alert(1)&gt; in `a <b> c` and ``x ` <y>``', '```diff', '+ <script>', '```', 'after &lt;i&gt;'].join('\n'),
    );
  });

  it('treats an unclosed backtick run as text, and a longer fence as closed only by one as long', () => {
    expect(safeMarkdown('a ` <b>')).toBe('a ` &lt;b&gt;');
    expect(safeMarkdown('````\n```\n<x>\n````\n<y>')).toBe('````\n```\n<x>\n````\n&lt;y&gt;');
  });
});
