/**
 * Running one pgTAP suite file: statement by statement inside a transaction that is always rolled back, collecting the
 * TAP text each statement returns and where it came from.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DbError, KeelError, type SourceLocation } from '../../core/errors.js';
import { locateDbError } from '../../core/sql/locate.js';
import { ensureParser } from '../../core/sql/parser.js';
import { diskSplitCache, type SplitCache } from '../../core/sql/split-cache.js';
import { splitSql, type Statement } from '../../core/sql/split.js';
import { transactionKind } from '../../core/sql/transaction-control.js';
import type { Engine, Queryable, Transaction } from '../../db/engine.js';
import type { SuiteFile } from './discover.js';
import type { TapLine } from './tap.js';

/** Extensions a suite may create that `keel test db` provides itself: pgTAP, and the helpers it has built in. */
export const PROVIDED_EXTENSIONS = new Set(['pgtap', 'basejump-supabase_test_helpers', 'supabase_test_helpers']);

/** Transaction statements the runner drops: it owns the file's transaction (savepoints stay). */
const WRAPPER_KINDS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK']);

/** A statement the runner does not send, and why (shown with --debug). */
export interface SkippedStatement {
  line: number;
  sql: string;
  reason: string;
}

/** A suite read and split, with what will run and what is skipped by design. */
export interface PreparedSuite extends SuiteFile {
  text: string;
  statements: Statement[];
  /** Indexes into `statements` of the statements to send, in order. */
  run: number[];
  skipped: SkippedStatement[];
  /** The file could not be read or parsed: it fails without touching the database. */
  error?: SuiteError;
}

/** Why a file stopped: a database error in one statement, a syntax error, or the engine failing. */
export interface SuiteError {
  message: string;
  sqlState?: string;
  location?: SourceLocation;
  excerpt?: string;
  detail?: string;
  hint?: string;
  /** Keel error code when the error is not the database's (e.g. KEEL_SQL_SYNTAX, KEEL_PGLITE_TIMEOUT). */
  code?: string;
}

/** Why a statement is skipped, or undefined when it runs. */
function skipReason(stmt: Statement): string | undefined {
  const tk = transactionKind(stmt);
  if (tk && WRAPPER_KINDS.has(tk)) return 'transaction control: each file runs in its own transaction, rolled back afterwards';
  if (stmt.kind === 'CreateExtensionStmt' && typeof stmt.ast.extname === 'string' && PROVIDED_EXTENSIONS.has(stmt.ast.extname)) {
    return stmt.ast.extname === 'pgtap' ? 'pgTAP is installed by keel test db' : 'the Supabase test helpers are built into keel test db (schema tests)';
  }
  if (isDbdevInstallOfHelpers(stmt)) return 'the Supabase test helpers are built into keel test db (no dbdev needed)';
  return undefined;
}

/** `select dbdev.install('basejump-supabase_test_helpers')`, read from the parse tree. */
function isDbdevInstallOfHelpers(stmt: Statement): boolean {
  if (stmt.kind !== 'SelectStmt') return false;
  const targets = stmt.ast.targetList as { ResTarget?: { val?: Record<string, unknown> } }[] | undefined;
  if (!targets || targets.length !== 1) return false;
  const call = targets[0]?.ResTarget?.val?.FuncCall as { funcname?: { String?: { sval?: string } }[]; args?: Record<string, unknown>[] } | undefined;
  const name = call?.funcname?.map((n) => n.String?.sval).join('.');
  const arg = (call?.args?.[0]?.A_Const as { sval?: { sval?: string } } | undefined)?.sval?.sval;
  return name === 'dbdev.install' && arg !== undefined && PROVIDED_EXTENSIONS.has(arg);
}

/**
 * Reads and splits the suites. Splits are cached on disk by content (as for migrations), so a run whose suites are
 * unchanged never loads the parser. A file that cannot be read or parsed comes back with `error` set instead of
 * throwing, so the other files still run.
 *
 * @example
 * const [suite] = await prepareSuites([{ path: '/app/supabase/tests/a.sql', file: 'supabase/tests/a.sql' }]);
 */
export async function prepareSuites(files: SuiteFile[], cache: SplitCache = diskSplitCache()): Promise<PreparedSuite[]> {
  const read = files.map((file) => {
    try {
      const text = fs.readFileSync(file.path, 'utf8');
      const sha256 = createHash('sha256').update(text).digest('hex');
      return { file, text, sha256, statements: cache.get(sha256) };
    } catch (err) {
      return { file, text: '', sha256: '', statements: undefined, error: errorOf(err) };
    }
  });
  if (read.some((r) => !r.statements && !r.error)) await ensureParser();
  return read.map((r) => {
    if (r.error) return { ...r.file, text: r.text, statements: [], run: [], skipped: [], error: r.error };
    try {
      let statements = r.statements;
      if (!statements) {
        statements = splitSql(r.text, r.file.file);
        cache.set(r.sha256, statements);
      }
      return prepared(r.file, r.text, statements);
    } catch (err) {
      return { ...r.file, text: r.text, statements: [], run: [], skipped: [], error: errorOf(err) };
    }
  });
}

function prepared(file: SuiteFile, text: string, statements: Statement[]): PreparedSuite {
  const run: number[] = [];
  const skipped: SkippedStatement[] = [];
  statements.forEach((s, i) => {
    const reason = skipReason(s);
    if (reason) skipped.push({ line: s.line, sql: s.sql, reason });
    else run.push(i);
  });
  return { ...file, text, statements, run, skipped };
}

function errorOf(err: unknown): SuiteError {
  if (err instanceof KeelError) {
    return {
      message: err.message,
      code: err.code,
      ...(err.sqlState && { sqlState: err.sqlState }),
      ...(err.location && { location: err.location }),
      ...(err.excerpt && { excerpt: err.excerpt }),
      ...(err.detail && { detail: err.detail }),
      ...(err.hint && { hint: err.hint }),
    };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

/** What running a suite gave: the TAP lines in order, and the error that stopped it, if any. */
export interface SuiteRun {
  lines: TapLine[];
  error?: SuiteError;
  /** The engine cannot go on (the PGlite watchdog stopped it): the remaining files are not run. */
  fatal?: boolean;
  statementsRun: number;
  durationMs: number;
}

export interface RunSuiteOptions {
  /** `set local` before the first statement (search_path, statement_timeout…), as `name → value`. */
  settings?: Record<string, string>;
}

/** Text columns hold TAP (pgTAP's functions return text or setof text); other values are the suite's own data. */
const TEXT_OID = 25;

/**
 * Runs the suite's statements in order on `tx` and collects every text value of every row they return. The first
 * statement that fails stops the file: the error is pointed at the file's line and column.
 */
export async function runSuiteStatements(tx: Queryable, suite: PreparedSuite, opts: RunSuiteOptions = {}): Promise<SuiteRun> {
  const started = performance.now();
  const lines: TapLine[] = [];
  let statementsRun = 0;
  const settings = Object.entries(opts.settings ?? {});
  if (settings.length) {
    // one round trip for all of them
    const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ');
    await tx.query(`select ${calls}`, settings.flat());
  }
  for (const index of suite.run) {
    const stmt = suite.statements[index]!;
    try {
      const r = await tx.query(stmt.sql);
      statementsRun++;
      const textFields = r.fields.filter((f) => f.dataTypeID === TEXT_OID).map((f) => f.name);
      for (const row of r.rows) {
        for (const name of textFields) {
          const v = row[name];
          if (typeof v === 'string') lines.push({ text: v, statement: index });
        }
      }
    } catch (err) {
      await ensureParser(); // locating an error may scan the statement (the splits may have come from the cache)
      return { lines, error: statementError(suite, stmt, err), fatal: isFatal(err), statementsRun, durationMs: performance.now() - started };
    }
  }
  return { lines, statementsRun, durationMs: performance.now() - started };
}

function statementError(suite: PreparedSuite, stmt: Statement, err: unknown): SuiteError {
  if (err instanceof DbError) {
    const { location, excerpt } = locateDbError(suite.text, suite.file, stmt, err);
    return {
      message: err.message,
      location,
      excerpt,
      ...(err.code && { sqlState: err.code }),
      ...(err.detail && { detail: err.detail }),
      ...(err.hint && { hint: err.hint }),
    };
  }
  return { ...errorOf(err), location: { file: suite.file, line: stmt.line, column: stmt.column } };
}

function isFatal(err: unknown): boolean {
  return err instanceof KeelError && err.code === 'KEEL_PGLITE_TIMEOUT';
}

/** Thrown out of the transaction callback so the engine rolls back; carries the callback's value out. */
class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `fn` in a transaction that is always rolled back, and returns its value.
 *
 * @example
 * const n = await inRolledBackTransaction(engine, async (tx) => (await tx.query('insert into t values (1)')).affectedRows);
 */
export async function inRolledBackTransaction<T>(engine: Engine, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    await engine.transaction(async (tx) => {
      throw new Rollback(await fn(tx));
    });
  } catch (err) {
    if (err instanceof Rollback) return err.value as T;
    throw err;
  }
  throw new Error('unreachable: the transaction was not rolled back');
}

/**
 * Runs one suite in its own rolled-back transaction: files never see each other's data. A file with a read or syntax
 * error is reported without touching the database.
 */
export async function runSuite(engine: Engine, suite: PreparedSuite, opts: RunSuiteOptions = {}): Promise<SuiteRun> {
  if (suite.error) return { lines: [], error: suite.error, statementsRun: 0, durationMs: 0 };
  const started = performance.now();
  try {
    return await inRolledBackTransaction(engine, (tx) => runSuiteStatements(tx, suite, opts));
  } catch (err) {
    // BEGIN or the settings failed, or the rollback did (the engine died).
    return { lines: [], error: errorOf(err), fatal: true, statementsRun: 0, durationMs: performance.now() - started };
  }
}
