/**
 * Maps an error the database raised while running one statement back to a line and column of the SQL file.
 */
import type { DbError, SourceLocation } from '../errors.js';
import { scanSql } from './parser.js';
import { byteToCharOffset, codePointsToCharOffset, excerpt, lineColAt } from './position.js';
import type { Statement } from './split.js';

/** `PL/pgSQL function inline_code_block line 4 at PERFORM` → name and line; the line is 1-based within the body. */
const PLPGSQL_FRAME = /^PL\/pgSQL function (.+?) line (\d+) at /;

/** Offset of the first character inside the statement's function or DO body, if it has a quoted body. */
function bodyStart(sql: string): number | undefined {
  try {
    let best: { start: number; length: number } | undefined;
    for (const t of scanSql(sql).tokens) {
      if (t.tokenName !== 'SCONST' || !(t.text.startsWith('$') || t.text.startsWith("'"))) continue;
      if (!best || t.text.length > best.length) {
        const open = t.text.startsWith('$') ? t.text.indexOf('$', 1) + 1 : 1;
        best = { start: byteToCharOffset(sql, t.start) + open, length: t.text.length };
      }
    }
    return best?.start;
  } catch {
    return undefined;
  }
}

/** Offset in `sql` of the first non-blank character of 1-based `line` counted from `from`. */
function lineOffset(sql: string, from: number, line: number): number {
  let i = from;
  for (let n = 1; n < line; n++) {
    const nl = sql.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  while (i < sql.length && (sql[i] === ' ' || sql[i] === '\t')) i++;
  return i;
}

/** Where `internalQuery` sits in `sql` (PERFORM is sent as `SELECT …`), as [offset, code points to skip], or undefined. */
function findInternalQuery(sql: string, query: string, near: number): [number, number] | undefined {
  const forms: [string, number][] = [[query, 0]];
  const perform = /^SELECT\s+/i.exec(query);
  if (perform) forms.push([query.slice(perform[0].length), perform[0].length]);
  for (const [text, skip] of forms) {
    if (text.trim() === '') continue;
    let first: number | undefined;
    for (let at = sql.indexOf(text); at >= 0; at = sql.indexOf(text, at + 1)) {
      first ??= at;
      if (at >= near) return [at, skip];
    }
    if (first !== undefined) return [first, skip];
  }
  return undefined;
}

/** Char offset within `stmt.sql` that the error points at. */
function offsetInStatement(stmt: Statement, err: DbError): number {
  const sql = stmt.sql;
  if (err.position !== undefined && Number.isFinite(err.position) && err.position > 0) {
    return codePointsToCharOffset(sql, err.position - 1);
  }
  // The outermost PL/pgSQL frame is the one nearest this statement; only a DO block runs its own body.
  const frames = (err.where ?? '').split('\n').filter((l) => PLPGSQL_FRAME.test(l));
  const outer = PLPGSQL_FRAME.exec(frames[frames.length - 1] ?? '');
  const ownFrame = outer && stmt.kind === 'DoStmt' && outer[1] === 'inline_code_block' ? outer : undefined;
  const body = ownFrame ? bodyStart(sql) : undefined;
  const frameLine = ownFrame && body !== undefined ? lineOffset(sql, body, Number(ownFrame[2])) : undefined;

  // internalQuery belongs to the innermost frame, so it is only ours when there is at most one PL/pgSQL frame.
  if (err.internalQuery && err.internalPosition !== undefined && err.internalPosition > 0 && frames.length <= 1) {
    const found = findInternalQuery(sql, err.internalQuery, frameLine ?? 0);
    if (found) return codePointsToCharOffset(sql, Math.max(0, err.internalPosition - 1 - found[1]), found[0]);
  }
  return frameLine ?? 0;
}

/**
 * Points a database error at the file: `err.position` (1-based characters within `stmt.sql`, the text that was sent),
 * else `internalPosition` within `internalQuery` found in the statement (errors inside a DO block or function body),
 * else the `line N` of a DO block's PL/pgSQL frame in `err.where`, else the statement's start.
 *
 * @example
 * const [stmt] = splitSql('\n\nselect nosuch;', 'a.sql');
 * locateDbError('\n\nselect nosuch;', 'a.sql', stmt, new DbError({ message: 'column "nosuch" does not exist', position: 8 }));
 * // { location: { file: 'a.sql', line: 3, column: 8 }, excerpt: '  2 |\n  3 | select nosuch;\n    |        ^' }
 */
export function locateDbError(
  fileText: string,
  file: string,
  stmt: Statement,
  err: DbError,
): { location: SourceLocation; excerpt: string } {
  const offset = Math.min(offsetInStatement(stmt, err), stmt.sql.length);
  const { line, column } = lineColAt(fileText, stmt.start + offset);
  return { location: { file, line, column }, excerpt: excerpt(fileText, line, column) };
}
