import { describe, expect, it, vi } from 'vitest';
import { ensureParser, parseSql, parserErrorDetails } from '../../src/core/sql/parser.js';

/** The parser module as a process that has not loaded it yet sees it (test files share a process). */
async function freshParser(): Promise<typeof import('../../src/core/sql/parser.js')> {
  vi.resetModules();
  return import('../../src/core/sql/parser.js');
}

describe('parser', () => {
  it('refuses sync calls before ensureParser() with a clear internal error', async () => {
    const p = await freshParser();
    expect(p.isParserReady()).toBe(false);
    expect(() => p.parseSql('select 1')).toThrow(
      'internal error: parseSql() called before the SQL parser was loaded; await ensureParser() first',
    );
    expect(() => p.scanSql('select 1')).toThrow('internal error: scanSql() called before the SQL parser was loaded');
  });

  it('loads once and then parses synchronously', async () => {
    const p = await freshParser();
    const first = p.ensureParser();
    const second = p.ensureParser();
    expect(second).toBe(first);
    await first;
    expect(p.isParserReady()).toBe(true);
    const result = p.parseSql('select 1; select 2');
    expect(result.stmts?.length).toBe(2);
    expect(p.parseSql('').stmts).toEqual([]);
    expect(p.scanSql('').tokens).toEqual([]);
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
