import { describe, expect, it } from 'vitest';
import { byteToCharOffset, codePointsToCharOffset, excerpt, lineColAt } from '../../src/core/sql/position.js';

describe('byteToCharOffset', () => {
  it('is the identity on ASCII text', () => {
    expect(byteToCharOffset('select 1;', 0)).toBe(0);
    expect(byteToCharOffset('select 1;', 7)).toBe(7);
    expect(byteToCharOffset('select 1;', 9)).toBe(9);
  });

  it('handles 2-byte characters and 4-byte emoji (surrogate pairs)', () => {
    const text = 'é😀x'; // é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units; x: 1 byte
    expect(byteToCharOffset(text, 0)).toBe(0);
    expect(byteToCharOffset(text, 2)).toBe(1);
    expect(byteToCharOffset(text, 6)).toBe(3);
    expect(byteToCharOffset(text, 7)).toBe(4);
  });

  it('maps a byte inside a character to its start and clamps past the end', () => {
    expect(byteToCharOffset('é😀x', 1)).toBe(0);
    expect(byteToCharOffset('é😀x', 4)).toBe(1);
    expect(byteToCharOffset('é😀x', 100)).toBe(4);
  });

  it('agrees with Buffer at every character boundary of a mixed text', () => {
    const text = 'a€b😀\n-- 日本語 🎉🎉 é\tz\u{10FFFF}end';
    for (let i = 0; i <= text.length; i++) {
      const code = text.charCodeAt(i - 1);
      if (code >= 0xd800 && code <= 0xdbff) continue; // inside a surrogate pair
      expect(byteToCharOffset(text, Buffer.byteLength(text.slice(0, i)))).toBe(i);
    }
  });

  it('stays right when used on several texts in turn', () => {
    const a = '😀a';
    const b = 'ab😀c';
    expect(byteToCharOffset(a, 4)).toBe(2);
    expect(byteToCharOffset(b, 6)).toBe(4);
    expect(byteToCharOffset(a, 5)).toBe(3);
  });
});

describe('codePointsToCharOffset', () => {
  it('counts an emoji as one character', () => {
    expect(codePointsToCharOffset('😀abc', 2)).toBe(3);
    expect(codePointsToCharOffset('x😀abc', 2, 1)).toBe(4);
    expect(codePointsToCharOffset('ab', 10)).toBe(2);
  });
});

describe('lineColAt', () => {
  it('is 1-based and counts a tab as one column', () => {
    const text = 'select 1;\n\tselect 2;';
    expect(lineColAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColAt(text, 9)).toEqual({ line: 1, column: 10 });
    expect(lineColAt(text, 10)).toEqual({ line: 2, column: 1 });
    expect(lineColAt(text, 11)).toEqual({ line: 2, column: 2 });
    expect(lineColAt(text, text.length)).toEqual({ line: 2, column: 11 });
  });

  it('counts an emoji as one column', () => {
    const text = 'x\n-- 😀 y';
    expect(lineColAt(text, text.indexOf('y'))).toEqual({ line: 2, column: 6 });
  });

  it('treats CRLF as one line break', () => {
    const text = 'a\r\nb';
    expect(lineColAt(text, 3)).toEqual({ line: 2, column: 1 });
  });
});

describe('excerpt', () => {
  const text = 'select 1;\nselect 1 +* from x;\nselect 3;';

  it('shows the line before, the line, a caret line and the line after', () => {
    expect(excerpt(text, 2, 13)).toBe(
      ['  1 | select 1;', '  2 | select 1 +* from x;', '    |             ^', '  3 | select 3;'].join('\n'),
    );
  });

  it('clips at the first and last line', () => {
    expect(excerpt(text, 1, 1)).toBe(['  1 | select 1;', '    | ^', '  2 | select 1 +* from x;'].join('\n'));
    expect(excerpt(text, 3, 10)).toBe(['  2 | select 1 +* from x;', '  3 | select 3;', '    |          ^'].join('\n'));
  });

  it('right-aligns line numbers to the widest one shown', () => {
    const many = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n');
    expect(excerpt(many, 10, 2)).toBe(['   9 | l9', '  10 | l10', '     |  ^', '  11 | l11'].join('\n'));
  });

  it('keeps tabs in the caret padding, counts emoji as one column, drops CR and trailing blanks', () => {
    const t = 'a\r\n\t😀 bad\r\n\r\nz';
    expect(excerpt(t, 2, 4)).toBe(['  1 | a', '  2 | \t😀 bad', '    | \t  ^', '  3 |'].join('\n'));
  });

  it('supports a wider context', () => {
    expect(excerpt(text, 2, 1, 0)).toBe(['  2 | select 1 +* from x;', '    | ^'].join('\n'));
  });
});
