/**
 * `COPY … FROM STDIN` in a SQL file that Keel runs (migrations, roles, policies, seeds, pgTAP suites). The statement
 * waits for the client to send rows, and a file sent statement by statement has none to send: psql reads them from
 * the lines after the statement (up to `\.`), which is not SQL; a real server then fails with a driver error, and
 * PGlite waits until the watchdog stops it. The Supabase CLI cannot run it either (its data dumps use
 * `--column-inserts` for that reason: "no copy from stdin"). So it is refused before anything runs, at its
 * `file:line:col`. `COPY … TO STDOUT` is harmless (the rows are read and thrown away) and is left alone.
 */
import { KeelError } from '../errors.js';
import { excerpt } from './position.js';
import { splitSql, type Statement } from './split.js';

/** A `COPY … FROM STDIN` statement (no file name, not a program). */
export function isCopyFromStdin(stmt: Pick<Statement, 'kind' | 'ast'>): boolean {
  return stmt.kind === 'CopyStmt' && stmt.ast.is_from === true && stmt.ast.filename === undefined && !stmt.ast.is_program;
}

/** The error for a `COPY … FROM STDIN` at `stmt`; `inlineData`: the rows follow it in the file, as in a pg_dump file. */
export function copyFromStdinError(text: string, file: string, stmt: Pick<Statement, 'line' | 'column'>, inlineData = false): KeelError {
  const kind = /(^|\/)migrations\//.test(file) ? 'a migration file' : 'a SQL file run by Keel';
  const what = inlineData
    ? `COPY … FROM STDIN with its rows inline (psql / pg_dump's plain format) cannot run: the rows after it are not SQL, and ${kind} cannot carry data for COPY`
    : `COPY … FROM STDIN needs data that ${kind} cannot carry`;
  return new KeelError('KEEL_SQL_COPY_STDIN', `${file}:${stmt.line}:${stmt.column}: ${what}`, {
    location: { file, line: stmt.line, column: stmt.column },
    excerpt: excerpt(text, stmt.line, stmt.column),
    hint:
      'write the rows as INSERT statements (pg_dump --column-inserts, as `supabase db dump --data-only` does), or ' +
      "load a file the server can read with `copy … from '/path/on/the/server'`; rows that are data rather than schema belong in supabase/seed files",
  });
}

/**
 * Throws {@link copyFromStdinError} for the first `COPY … FROM STDIN` among `statements`.
 *
 * @example
 * assertNoCopyFromStdin(splitSql(text, file), text, file);
 */
export function assertNoCopyFromStdin(statements: readonly Statement[], text: string, file: string): void {
  const copy = statements.find(isCopyFromStdin);
  if (copy) throw copyFromStdinError(text, file, copy);
}

/**
 * For a syntax error at `line`: is it the inline rows of a `COPY … FROM STDIN` (pg_dump's plain format)? True when the
 * file up to the start of that line parses and its last statement is such a COPY. Then the COPY error explains the
 * file better than `syntax error at or near "1"`. Returns the COPY error, or undefined.
 */
export function inlineCopyData(text: string, file: string, line: number): KeelError | undefined {
  if (!/\bstdin\b/i.test(text)) return undefined;
  let at = 0;
  for (let l = 1; l < line && at >= 0; l++) at = text.indexOf('\n', at) + 1 || -1;
  if (at <= 0) return undefined;
  let stmts: Statement[];
  try {
    stmts = splitSql(text.slice(0, at), file);
  } catch {
    return undefined;
  }
  const last = stmts.at(-1);
  if (!last || !isCopyFromStdin(last)) return undefined;
  return copyFromStdinError(text, file, last, true);
}
