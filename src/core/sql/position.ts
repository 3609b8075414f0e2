/**
 * Positions in SQL text: UTF-8 byte offsets (what the parser reports) to JS string offsets, string offsets to 1-based
 * line/column, and a source excerpt with a caret.
 *
 * "char offset" everywhere means a JS string index (UTF-16 code units). Columns count characters (code points), so an
 * emoji is one column and a tab is one column. Lines are split on `\n`; a `\r` before it is not shown in excerpts.
 */

/** Precomputed facts about one text, built once and reused for every lookup on that text. */
interface TextIndex {
  text: string;
  /** Char offset of the start of each line (line 1 at index 0). */
  lineStarts: number[];
  /** Non-ASCII code points in order: UTF-8 byte start, char start, UTF-8 length, UTF-16 length. Empty for ASCII text. */
  byteStarts: number[];
  charStarts: number[];
  byteLens: number[];
  charLens: number[];
}

/** The most recently used indexes (a statement's text and its file's text are often used in turn). */
const recent: TextIndex[] = [];

function indexOf(text: string): TextIndex {
  const at = recent.findIndex((r) => r.text === text);
  if (at === 0) return recent[0]!;
  if (at > 0) {
    const [hit] = recent.splice(at, 1);
    recent.unshift(hit!);
    return hit!;
  }
  const idx: TextIndex = { text, lineStarts: [0], byteStarts: [], charStarts: [], byteLens: [], charLens: [] };
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 10) idx.lineStarts.push(i + 1);
      byte += 1;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const pair = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    // Lone surrogates are encoded as 3 bytes, like any other BMP code point (what stringToUTF8 and Buffer do).
    const len = pair ? 4 : c < 0x800 ? 2 : 3;
    idx.byteStarts.push(byte);
    idx.charStarts.push(i);
    idx.byteLens.push(len);
    idx.charLens.push(pair ? 2 : 1);
    byte += len;
    if (pair) i++;
  }
  recent.unshift(idx);
  if (recent.length > 4) recent.pop();
  return idx;
}

/** Index of the last element of the sorted `arr` that is <= `value`, or -1. */
function lastAtOrBelow(arr: number[], value: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Converts a UTF-8 byte offset into `text` to a JS string offset. A byte inside a multi-byte character maps to that
 * character's start; offsets past the end clamp to `text.length`. The per-text work is done once and cached for the
 * few most recent texts, so converting every statement of a large file costs O(log n) each.
 *
 * @example
 * byteToCharOffset('é😀x', 6); // 3 (é is 2 bytes/1 unit, 😀 is 4 bytes/2 units)
 */
export function byteToCharOffset(text: string, byteOffset: number): number {
  if (byteOffset <= 0) return 0;
  const idx = indexOf(text);
  const i = lastAtOrBelow(idx.byteStarts, byteOffset);
  let char: number;
  if (i < 0) {
    char = byteOffset;
  } else {
    const into = byteOffset - idx.byteStarts[i]!;
    char = into < idx.byteLens[i]! ? idx.charStarts[i]! : idx.charStarts[i]! + idx.charLens[i]! + (into - idx.byteLens[i]!);
  }
  return Math.min(char, text.length);
}

/**
 * Converts a 0-based character (code point) count from `from` into a JS string offset, as Postgres counts `position`.
 *
 * @example
 * codePointsToCharOffset('😀abc', 2); // 3
 */
export function codePointsToCharOffset(text: string, codePoints: number, from = 0): number {
  let i = from;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return i;
}

/** Number of code points in `text.slice(start, end)`. */
function codePointCount(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > start && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/**
 * 1-based line and column of a JS string offset (clamped to the text). The column counts characters (code points).
 *
 * @example
 * lineColAt('select 1;\n\tselect 2;', 11); // { line: 2, column: 2 }
 */
export function lineColAt(text: string, charOffset: number): { line: number; column: number } {
  const offset = Math.max(0, Math.min(charOffset, text.length));
  const { lineStarts } = indexOf(text);
  const i = lastAtOrBelow(lineStarts, offset);
  return { line: i + 1, column: codePointCount(text, lineStarts[i]!, offset) + 1 };
}

/** The text of 1-based `line`, without its line break. */
function lineText(text: string, idx: TextIndex, line: number): string {
  const start = idx.lineStarts[line - 1]!;
  const next = idx.lineStarts[line];
  let end = next === undefined ? text.length : next - 1;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}

/**
 * A few lines of `text` around `line` with a caret under `column` (1-based, in characters). Each line is prefixed with
 * two spaces, its right-aligned number and ` | `; the caret line's padding keeps tabs so the caret lines up in a
 * terminal. Lines are joined with `\n`, with no trailing newline.
 *
 * @example
 * excerpt('select 1;\nselect 1 +* from x;\nselect 3;', 2, 13);
 * // '  1 | select 1;\n  2 | select 1 +* from x;\n    |             ^\n  3 | select 3;'
 */
export function excerpt(text: string, line: number, column: number, context = 1): string {
  const idx = indexOf(text);
  const total = idx.lineStarts.length;
  const at = Math.max(1, Math.min(line, total));
  const first = Math.max(1, at - context);
  const last = Math.min(total, at + context);
  const width = String(last).length;
  const gutter = (label: string) => `  ${label.padStart(width)} |`;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = lineText(text, idx, n);
    out.push(src === '' ? gutter(String(n)) : `${gutter(String(n))} ${src}`);
    if (n === at) {
      const before = Array.from(src).slice(0, Math.max(0, column - 1));
      const pad = before.map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
      const extra = ' '.repeat(Math.max(0, column - 1 - before.length));
      out.push(`${gutter('')} ${pad}${extra}^`);
    }
  }
  return out.join('\n');
}
