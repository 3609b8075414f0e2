import { DbError, KeelError } from '../../core/errors.js';
import type { SqlFile } from '../../core/project/files.js';
import { locateDbError } from '../../core/sql/locate.js';
import { readDirectives } from '../../core/sql/directives.js';
import { splitSql, type Statement } from '../../core/sql/split.js';
import type { SplitCache } from '../../core/sql/split-cache.js';
import { classifyTransactionControl } from '../../core/sql/transaction-control.js';
import type { Queryable } from '../../db/engine.js';

/** A SQL file split and checked before anything runs, so a syntax error anywhere stops the run with nothing applied. */
export interface PreparedFile {
  file: SqlFile;
  /** The statements to send, wrapper BEGIN/COMMIT removed. */
  statements: Statement[];
  /** `-- keel:no-transaction`: statements run one by one outside a transaction (CREATE INDEX CONCURRENTLY). */
  noTransaction: boolean;
  warnings: string[];
}

/**
 * Splits and checks one file: syntax errors, empty files, and BEGIN/COMMIT inside a file Keel wraps in its own
 * transaction. A file wrapped whole in BEGIN … COMMIT is accepted (the pair is dropped, with a warning); any other
 * transaction control is an error, since it would commit half a file.
 *
 * @example
 * const prepared = prepareFile(readSqlFile(project, path));
 */
export function prepareFile(file: SqlFile, opts: { allowEmpty?: boolean; cache?: SplitCache } = {}): PreparedFile {
  const warnings: string[] = [];
  const directives = readDirectives(file.text);
  for (const u of directives.unknown) warnings.push(`${file.file}:${u.line}: unknown directive -- keel:${u.name} (known: keel:no-transaction)`);
  let statements = opts.cache?.get(file.sha256);
  if (!statements) {
    statements = splitSql(file.text, file.file);
    opts.cache?.set(file.sha256, statements);
  }
  if (statements.length === 0 && !opts.allowEmpty) warnings.push(`${file.file} is empty (no SQL statements); it is recorded as applied`);
  if (!directives.noTransaction) {
    const tc = classifyTransactionControl(statements);
    const first = tc.inner[0];
    if (first) {
      throw new KeelError('KEEL_TRANSACTION_IN_FILE', `${file.file}:${first.line}:${first.column}: ${first.sql.split(/\s/)[0]!.toUpperCase()} inside a file that Keel runs in one transaction`, {
        location: { file: file.file, line: first.line, column: first.column },
        hint: 'remove it (Keel already wraps each file in a transaction), or put `-- keel:no-transaction` at the top of the file to run it statement by statement',
      });
    }
    if (tc.wrapper) {
      warnings.push(`${file.file}: the file's own BEGIN/COMMIT were dropped; Keel runs each file in one transaction already`);
      statements = statements.slice(1, -1);
    }
  }
  return { file, statements, noTransaction: directives.noTransaction, warnings };
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
 * Runs a file's statements on `db`, stopping at the first failure with the error pointing into the file.
 *
 * Inside a transaction (`inTransaction`), the whole file goes in one round trip after a savepoint; only when it fails
 * is the savepoint rolled back and the file re-run statement by statement, to learn which statement failed and where.
 * Outside a transaction (`-- keel:no-transaction`) statements go one by one, since a multi-statement query would be
 * one implicit transaction.
 */
export async function runStatements(db: Queryable, prepared: PreparedFile, opts: { inTransaction?: boolean } = {}): Promise<void> {
  if (opts.inTransaction && prepared.statements.length > 1) {
    await db.exec('savepoint keel_file');
    try {
      await db.exec(prepared.statements.map((s) => s.sql).join(';\n'));
      await db.exec('release savepoint keel_file');
      return;
    } catch (err) {
      if (!(err instanceof DbError)) throw inFile(prepared, err);
      await db.exec('rollback to savepoint keel_file');
    }
  }
  for (const stmt of prepared.statements) {
    try {
      await db.exec(stmt.sql);
    } catch (err) {
      throw err instanceof DbError ? statementError(prepared.file, stmt, err) : inFile(prepared, err, stmt);
    }
  }
}

/** A failure that is not the database's answer (the watchdog, a lost connection): still say which file was running. */
function inFile(prepared: PreparedFile, err: unknown, stmt?: Statement): unknown {
  if (!(err instanceof KeelError) || err.location) return err;
  const at = stmt ?? prepared.statements[0];
  const location = at ? { file: prepared.file.file, line: at.line, column: at.column } : undefined;
  return new KeelError(err.code, location ? err.message : `${prepared.file.file}: ${err.message}`, { location, hint: err.hint, cause: err });
}
