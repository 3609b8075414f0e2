import { beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { ensureParser } from '../../src/core/sql/parser.js';
import { splitSql, type Statement } from '../../src/core/sql/split.js';

beforeAll(async () => {
  await ensureParser();
});

const brief = (stmts: Statement[]) => stmts.map(({ sql, start, line, column, kind }) => ({ sql, start, line, column, kind }));

function syntaxError(text: string): KeelError {
  try {
    splitSql(text, 'supabase/migrations/001_x.sql');
  } catch (err) {
    if (err instanceof KeelError) return err;
    throw err;
  }
  throw new Error('expected a syntax error');
}

describe('splitSql', () => {
  const file = [
    '-- 001_init.sql: 😀 émoji in a comment', // 1
    '/* block 🎉 */ create table public.items (', // 2
    '  id bigint primary key, -- the id; not a terminator', // 3
    "  name text not null default 'a;b'", // 4
    ');', // 5
    '', // 6
    'create function public.touch() returns trigger language plpgsql as $fn$', // 7
    'begin', // 8
    '  new.updated_at := now(); -- ;', // 9
    '  return new;', // 10
    'end;', // 11
    '$fn$;', // 12
    ';;', // 13
    "do $$ begin raise notice 'é;'; end $$;", // 14
    '  create index items_name on public.items (name)', // 15: last statement, no semicolon
    '-- trailing comment', // 16
    '',
  ].join('\n');

  it('splits a multi-statement file with comments, $$ bodies and a DO block', () => {
    const createTable = [
      'create table public.items (',
      '  id bigint primary key, -- the id; not a terminator',
      "  name text not null default 'a;b'",
      ')',
    ].join('\n');
    const createFunction = [
      'create function public.touch() returns trigger language plpgsql as $fn$',
      'begin',
      '  new.updated_at := now(); -- ;',
      '  return new;',
      'end;',
      '$fn$',
    ].join('\n');
    expect(brief(splitSql(file, 'init.sql'))).toEqual([
      { sql: createTable, start: file.indexOf('create table'), line: 2, column: 15, kind: 'CreateStmt' },
      { sql: createFunction, start: file.indexOf('create function'), line: 7, column: 1, kind: 'CreateFunctionStmt' },
      { sql: "do $$ begin raise notice 'é;'; end $$", start: file.indexOf('do $$'), line: 14, column: 1, kind: 'DoStmt' },
      {
        sql: 'create index items_name on public.items (name)',
        start: file.indexOf('create index'),
        line: 15,
        column: 3,
        kind: 'IndexStmt',
      },
    ]);
  });

  it('keeps the AST body under the node name', () => {
    const [table, fn] = splitSql(file, 'init.sql');
    expect((table!.ast.relation as { relname: string }).relname).toBe('items');
    expect((fn!.ast.funcname as unknown[]).length).toBe(2);
  });

  it('points each statement at its first token even after emoji, nested comments and CRLF', () => {
    const text = '-- 😀😀😀\r\n/* a /* nested 🎉 */ b */ select 1 -- x\r\n;\r\n\t\tselect\r\n  2 /* end */\r\n';
    expect(brief(splitSql(text, 'a.sql'))).toEqual([
      { sql: 'select 1', start: text.indexOf('select 1'), line: 2, column: 26, kind: 'SelectStmt' },
      { sql: 'select\r\n  2', start: text.indexOf('select\r\n'), line: 4, column: 3, kind: 'SelectStmt' },
    ]);
  });

  it('returns [] for an empty file, a blank file, a comments-only file and bare semicolons', () => {
    expect(splitSql('', 'a.sql')).toEqual([]);
    expect(splitSql('  \n\t\n', 'a.sql')).toEqual([]);
    expect(splitSql('-- just a note 😀\n/* and /* a */ block */\n', 'a.sql')).toEqual([]);
    expect(splitSql(';;\n;', 'a.sql')).toEqual([]);
  });

  it('reports a syntax error at its exact line and column, after multi-byte characters', () => {
    const err = syntaxError(['-- 😀 header', 'create table t (id int);', "select 'é', 1 +* from t;", 'select 4;'].join('\n'));
    expect(err.code).toBe('KEEL_SQL_SYNTAX');
    expect(err.message).toBe('syntax error at or near "from"');
    expect(err.location).toEqual({ file: 'supabase/migrations/001_x.sql', line: 3, column: 18 });
    expect(err.excerpt).toBe(
      ['  2 | create table t (id int);', "  3 | select 'é', 1 +* from t;", '    |                  ^', '  4 | select 4;'].join('\n'),
    );
    expect(err.hint).toBe('the problem is at or just before this point; a missing comma, parenthesis or semicolon is a common cause');
  });

  it('reports an unterminated dollar quote where it opens, with a short message and a hint naming the tag', () => {
    const err = syntaxError(['select 1;', '-- 🎉', 'do $body$', 'begin', '  perform 1;', 'end $bod$;', '', 'select 2;'].join('\n'));
    expect(err.message).toBe('unterminated dollar-quoted string at or near "$body$…"');
    expect(err.location).toEqual({ file: 'supabase/migrations/001_x.sql', line: 3, column: 4 });
    expect(err.hint).toBe('a $body$ … $body$ body is not closed; add the closing $body$ (the opening and closing tags must match exactly)');
    expect(err.excerpt).toBe(['  2 | -- 🎉', '  3 | do $body$', '    |    ^', '  4 | begin'].join('\n'));
  });

  it('reports an unterminated string and end-of-input errors', () => {
    const str = syntaxError("select 1;\nselect 'abc\ndef\n");
    expect(str.message).toBe('unterminated quoted string at or near "\'abc…"');
    expect(str.location).toEqual({ file: 'supabase/migrations/001_x.sql', line: 2, column: 8 });
    expect(str.hint).toBe("a '…' string is not closed; a quote inside a string is written twice ('it''s')");

    const eoi = syntaxError('select 1;\ncreate table t (id int\n\n\n');
    expect(eoi.message).toBe('syntax error at end of input');
    expect(eoi.location).toEqual({ file: 'supabase/migrations/001_x.sql', line: 2, column: 23 });
  });

  it('passes errors that are not parse errors through unchanged', () => {
    let caught: unknown;
    try {
      splitSql(undefined as unknown as string, 'a.sql');
    } catch (err) {
      caught = err;
    }
    expect(caught).not.toBeInstanceOf(KeelError);
    expect((caught as Error).message).toBe('Query cannot be null or undefined');
  });
});
