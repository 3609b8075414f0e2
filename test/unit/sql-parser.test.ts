import { describe, expect, it } from 'vitest';
import { ensureParser, isParserReady, parseSql, parserErrorDetails, scanSql } from '../../src/core/sql/parser.js';

describe('parser', () => {
  it('refuses sync calls before ensureParser() with a clear internal error', () => {
    expect(isParserReady()).toBe(false);
    expect(() => parseSql('select 1')).toThrow(
      'internal error: parseSql() called before the SQL parser was loaded; await ensureParser() first',
    );
    expect(() => scanSql('select 1')).toThrow('internal error: scanSql() called before the SQL parser was loaded');
  });

  it('loads once and then parses synchronously', async () => {
    const first = ensureParser();
    const second = ensureParser();
    expect(second).toBe(first);
    await first;
    expect(isParserReady()).toBe(true);
    const result = parseSql('select 1; select 2');
    expect(result.stmts?.length).toBe(2);
    expect(parseSql('').stmts).toEqual([]);
    expect(scanSql('').tokens).toEqual([]);
  });

  it('reports the error position in characters (code points), not bytes', async () => {
    await ensureParser();
    const text = '-- 😀 é\nselect 1 +* from x;';
    let caught: unknown;
    try {
      parseSql(text);
    } catch (err) {
      caught = err;
    }
    // 'from' is at code point 19 (UTF-16 index 20, byte 23).
    expect(parserErrorDetails(caught)).toEqual({ message: 'syntax error at or near "from"', cursorPosition: 19 });
    expect(parserErrorDetails(new Error('x'))).toBeUndefined();
  });
});
