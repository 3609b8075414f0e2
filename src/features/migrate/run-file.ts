import { DbError, KeelError } from '../../core/errors.js';
import type { SqlFile } from '../../core/project/files.js';
import { locateDbError } from '../../core/sql/locate.js';
import { readDirectives } from '../../core/sql/directives.js';
import { planOutsideTransaction, type OutsideUnit } from '../../core/sql/outside-transaction.js';
import { assertNoCopyFromStdin, inlineCopyData } from '../../core/sql/copy-stdin.js';
import { splitSql, type Statement } from '../../core/sql/split.js';
import type { SplitCache } from '../../core/sql/split-cache.js';
import { planTransactions } from '../../core/sql/transaction-plan.js';
import type { Queryable } from '../../db/engine.js';

/** A SQL file split and checked before anything runs, so a syntax error anywhere stops the run with nothing applied. */
export interface PreparedFile {
  file: SqlFile;
  /** The file's statements as written (its own BEGIN / COMMIT included): what lint reads and the history stores. */
  statements: Statement[];
  /**
   * What is sent, in parts each committed in its own transaction (see planTransactions): one part, unless the file
   * commits an `ALTER TYPE … ADD VALUE` before statements that may use the value. Empty for a no-transaction file.
   */
  segments: Statement[][];
  /** The COMMITs at which the file is split (one fewer than `segments`). */
  splits: Statement[];
  /** `-- keel:no-transaction`: the file runs in `units` (see planOutsideTransaction), each committing on its own. */
  noTransaction: boolean;
  units: OutsideUnit[];
  /**
   * The file must be committed before the files after it run: it is no-transaction, or it adds an enum value (later
   * files may use the value only once that is committed). A run that shares one transaction must not include it.
   */
  needsCommit: boolean;
  warnings: string[];
}

/**
 * Splits and plans one file: syntax errors, empty files, and the file's own transaction control (BEGIN / COMMIT /
 * ROLLBACK are accepted, as the Supabase CLI accepts them; see planTransactions for what they become).
 *
 * @example
 * const prepared = prepareFile(readSqlFile(project, path));
 */
export function prepareFile(file: SqlFile, opts: { allowEmpty?: boolean; cache?: SplitCache } = {}): PreparedFile {
  const warnings: string[] = [];
  const directives = readDirectives(file.text);
  for (const u of directives.unknown)
    warnings.push(`${file.file}:${u.line}: unknown directive -- keel:${u.name} (known: keel:no-transaction)`);
  let statements = opts.cache?.get(file.sha256);
  if (!statements) {
    statements = splitFile(file);
    opts.cache?.set(file.sha256, statements);
  }
  assertNoCopyFromStdin(statements, file.text, file.file);
  if (statements.length === 0 && !opts.allowEmpty) warnings.push(`${file.file} is empty (no SQL statements); it is recorded as applied`);
  if (directives.noTransaction) {
    const units = planOutsideTransaction(statements, file.file);
    return { file, statements, segments: [], splits: [], noTransaction: true, units, needsCommit: true, warnings };
  }
  const plan = planTransactions(statements, file.file);
  warnings.push(...plan.notes);
  if (plan.splits.length > 0) {
    const at = plan.splits.map((s) => `${s.line}:${s.column}`).join(', ');
    warnings.push(
      `${file.file}: commits at ${at} (COMMIT after ALTER TYPE … ADD VALUE, so later statements can use the new value): the parts are committed in turn, as the Supabase CLI commits them; a failure after ${plan.splits.length > 1 ? 'a' : 'that'} COMMIT leaves the part before it applied`,
    );
  }
  return {
    file,
    statements,
    segments: plan.segments,
    splits: plan.splits,
    noTransaction: false,
    units: [],
    needsCommit: plan.addsEnumValue,
    warnings,
  };
}

/** Splits the file; a syntax error that is the inline rows of a `COPY … FROM STDIN` (a pg_dump file) says so instead. */
function splitFile(file: SqlFile): Statement[] {
  try {
    return splitSql(file.text, file.file);
  } catch (err) {
    if (err instanceof KeelError && err.code === 'KEEL_SQL_SYNTAX' && err.location)
      throw inlineCopyData(file.text, file.file, err.location.line) ?? err;
    throw err;
  }
}

/** Turns a database error on one statement into a KeelError pointing at `file:line:col`, with a caret excerpt. */
export function statementError(file: SqlFile, stmt: Statement, err: unknown): unknown {
  if (!(err instanceof DbError)) return err;
  const { location, excerpt } = locateDbError(file.text, file.file, stmt, err);
  const context = err.where && !/^SQL statement "/.test(err.where) ? err.where.split('\n')[0] : undefined;
  return new KeelError('KEEL_SQL_FAILED', `${location.file}:${location.line}:${location.column}: ${err.message}`, {
    location,
    excerpt,
    sqlState: err.code,
    detail: [err.detail, context && `context: ${context}`].filter(Boolean).join('\n') || undefined,
    hint: err.hint,
    cause: err,
  });
}

/**
 * Runs statements of `file` inside an open transaction, stopping at the first failure with the error pointing into the
 * file. The whole list goes in one round trip after a savepoint; only when it fails is the savepoint rolled back and
 * the list re-run statement by statement, to learn which statement failed and where.
 */
export async function runInTransaction(db: Queryable, file: SqlFile, statements: Statement[]): Promise<void> {
  if (statements.length > 1) {
    await db.exec('savepoint keel_file');
    try {
      await db.exec(statements.map((s) => s.sql).join(';\n'));
      await db.exec('release savepoint keel_file');
      return;
    } catch (err) {
      if (!(err instanceof DbError)) throw inFile(file, statements, err);
      await db.exec('rollback to savepoint keel_file');
    }
  }
  for (const stmt of statements) await runOne(db, file, stmt);
}

/** One statement, its error pointing into the file. */
export async function runOne(db: Queryable, file: SqlFile, stmt: Statement): Promise<void> {
  try {
    await db.exec(stmt.sql);
  } catch (err) {
    throw err instanceof DbError ? statementError(file, stmt, err) : inFile(file, [stmt], err);
  }
}

/** A failure that is not the database's answer (the watchdog, a lost connection): still say which file was running. */
function inFile(file: SqlFile, statements: Statement[], err: unknown): unknown {
  if (!(err instanceof KeelError) || err.location) return err;
  const at = statements[0];
  const location = at ? { file: file.file, line: at.line, column: at.column } : undefined;
  return new KeelError(err.code, location ? err.message : `${file.file}: ${err.message}`, {
    location,
    hint: err.hint,
    sqlState: err.sqlState,
    detail: err.detail,
    cause: err,
  });
}
