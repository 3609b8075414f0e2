import { beforeAll, describe, expect, it } from 'vitest';
import { DbError } from '../../src/core/errors.js';
import { locateDbError } from '../../src/core/sql/locate.js';
import { ensureParser } from '../../src/core/sql/parser.js';
import { splitSql } from '../../src/core/sql/split.js';

beforeAll(async () => {
  await ensureParser();
});

/** Field values below were taken from real errors raised by Postgres 17 (PGlite) for the same SQL. */
describe('locateDbError', () => {
  it('maps `position` (characters within the statement) into the file', () => {
    const file = "-- 😀\nselect 1;\n\n  select '😀', nosuch from t;\n";
    const stmt = splitSql(file, 'a.sql')[1]!;
    const err = new DbError({ message: 'column "nosuch" does not exist', code: '42703', position: 13 });
    expect(locateDbError(file, 'a.sql', stmt, err)).toEqual({
      location: { file: 'a.sql', line: 4, column: 15 },
      excerpt: ['  3 |', "  4 |   select '😀', nosuch from t;", '    |               ^', '  5 |'].join('\n'),
    });
  });

  it('maps a position on a later line of a statement that follows comments', () => {
    const file = '-- x\n  /* y */ select\n  nosuch';
    const stmt = splitSql(file, 'b.sql')[0]!;
    const { location } = locateDbError(file, 'b.sql', stmt, new DbError({ message: 'm', position: 10 }));
    expect(location).toEqual({ file: 'b.sql', line: 3, column: 3 });
  });

  const doFile = ['select 1;', '', 'do $$', 'begin', '  perform 1;', '  perform nosuch_col from pg_class;', 'end $$;', ''].join('\n');

  it('maps internalPosition within internalQuery (PERFORM is reported as SELECT …)', () => {
    const stmt = splitSql(doFile, 'c.sql')[1]!;
    const err = new DbError({
      message: 'column "nosuch_col" does not exist',
      internalPosition: 8,
      internalQuery: 'SELECT nosuch_col from pg_class',
      where: 'PL/pgSQL function inline_code_block line 4 at PERFORM',
    });
    expect(locateDbError(doFile, 'c.sql', stmt, err)).toEqual({
      location: { file: 'c.sql', line: 6, column: 11 },
      excerpt: ['  5 |   perform 1;', '  6 |   perform nosuch_col from pg_class;', '    |           ^', '  7 | end $$;'].join('\n'),
    });
  });

  it('maps internalPosition when internalQuery is verbatim, picking the occurrence on the reported line', () => {
    const file = ['do $$', 'declare x int;', 'begin', "  x := 1 + 'a';", "  x := 1 + 'a';", 'end $$;'].join('\n');
    const stmt = splitSql(file, 'd.sql')[0]!;
    const err = new DbError({
      message: 'invalid input syntax for type integer: "a"',
      internalPosition: 10,
      internalQuery: "x := 1 + 'a'",
      where: 'PL/pgSQL function inline_code_block line 5 at assignment',
    });
    expect(locateDbError(file, 'd.sql', stmt, err).location).toEqual({ file: 'd.sql', line: 5, column: 12 });
  });

  it('uses the DO block line from `where` when there is no query to find', () => {
    const stmt = splitSql(doFile, 'c.sql')[1]!;
    const err = new DbError({ message: 'boom', where: 'PL/pgSQL function inline_code_block line 5 at RAISE' });
    expect(locateDbError(doFile, 'c.sql', stmt, err).location).toEqual({ file: 'c.sql', line: 7, column: 1 });
  });

  it('ignores an inner function frame and its internalQuery, using the outermost DO frame', () => {
    const file = ['do $$', 'begin', '  perform 1;', '  perform f3();', 'end $$;'].join('\n');
    const stmt = splitSql(file, 'e.sql')[0]!;
    const err = new DbError({
      message: 'column "nosuch" does not exist',
      internalPosition: 9,
      internalQuery: 'perform 1',
      where: [
        'PL/pgSQL function f3() line 3 at RETURN',
        'SQL statement "SELECT f3()"',
        'PL/pgSQL function inline_code_block line 4 at PERFORM',
      ].join('\n'),
    });
    expect(locateDbError(file, 'e.sql', stmt, err).location).toEqual({ file: 'e.sql', line: 4, column: 3 });
  });

  it('falls back to the statement start', () => {
    const file = 'select 1;\n\n   select f();';
    const stmt = splitSql(file, 'f.sql')[1]!;
    const err = new DbError({
      message: 'column "nosuch" does not exist',
      internalPosition: 9,
      internalQuery: '(select nosuch from pg_class limit 1)',
      where: 'PL/pgSQL function f() line 3 at RETURN',
    });
    expect(locateDbError(file, 'f.sql', stmt, err).location).toEqual({ file: 'f.sql', line: 3, column: 4 });
    expect(locateDbError(file, 'f.sql', stmt, new DbError({ message: 'deadlock detected' })).location).toEqual({
      file: 'f.sql',
      line: 3,
      column: 4,
    });
  });
});
