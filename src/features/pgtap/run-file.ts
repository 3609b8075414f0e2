/**
 * Running one pgTAP suite file statement by statement, collecting the TAP text each statement returns and where it came
 * from: in a fresh session in autocommit (the default, as pg_prove), or inside a transaction that is always rolled back
 * (--isolate).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DbError, KeelError, type SourceLocation } from '../../core/errors.js';
import { decodeSqlText } from '../../core/project/files.js';
import { locateDbError } from '../../core/sql/locate.js';
import { ensureParser } from '../../core/sql/parser.js';
import { diskSplitCache, type SplitCache } from '../../core/sql/split-cache.js';
import { assertNoCopyFromStdin } from '../../core/sql/copy-stdin.js';
import { splitSql, type Statement } from '../../core/sql/split.js';
import { transactionKind } from '../../core/sql/transaction-control.js';
import type { Engine, Queryable, Transaction } from '../../db/engine.js';
import type { SuiteFile } from './discover.js';
import { COMMUNITY_HELPERS, isCommunityHelpersExtension, isDbdevInstallOfHelpers } from './suite-helpers.js';
import type { TapLine } from './tap.js';

/** Extensions a suite may create that `keel test db` provides itself: pgTAP, and (unless the database has them) the helpers. */
export const PROVIDED_EXTENSIONS = new Set(['pgtap', ...COMMUNITY_HELPERS]);

/** Transaction statements the runner drops in --isolate mode: it owns the file's transaction (savepoints stay). */
const WRAPPER_KINDS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK']);

/**
 * How files run. `session` (the default, as `supabase test db` runs them with pg_prove): each file in a fresh session in
 * autocommit, its own BEGIN/ROLLBACK deciding what is undone. `isolate`: each file in a transaction Keel rolls back,
 * the file's own BEGIN/COMMIT/ROLLBACK dropped.
 */
export type SuiteMode = 'session' | 'isolate';

export interface SuitePlan {
  mode: SuiteMode;
  /** The database installs the community helpers itself: their install statements run as written. */
  communityHelpers?: boolean;
}

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
function skipReason(stmt: Statement, plan: SuitePlan): string | undefined {
  const tk = transactionKind(stmt);
  if (plan.mode === 'isolate' && tk && WRAPPER_KINDS.has(tk))
    return 'transaction control: with --isolate each file runs in its own transaction, rolled back afterwards';
  if (stmt.kind === 'CreateExtensionStmt' && stmt.ast.extname === 'pgtap') return 'pgTAP is installed by keel test db';
  if (!plan.communityHelpers && isCommunityHelpersExtension(stmt))
    return 'the Supabase test helpers are built into keel test db (schema tests)';
  if (!plan.communityHelpers && isDbdevInstallOfHelpers(stmt))
    return 'the Supabase test helpers are built into keel test db (no dbdev needed)';
  return undefined;
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
      const text = decodeSqlText(fs.readFileSync(file.path), file.file);
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
      assertNoCopyFromStdin(statements, r.text, r.file.file);
      return planned({ ...r.file, text: r.text, statements, run: [], skipped: [] }, DEFAULT_PLAN);
    } catch (err) {
      return { ...r.file, text: r.text, statements: [], run: [], skipped: [], error: errorOf(err) };
    }
  });
}

const DEFAULT_PLAN: SuitePlan = { mode: 'session' };

function planned(suite: PreparedSuite, plan: SuitePlan): PreparedSuite {
  if (suite.error) return suite;
  const run: number[] = [];
  const skipped: SkippedStatement[] = [];
  suite.statements.forEach((s, i) => {
    const reason = skipReason(s, plan);
    if (reason) skipped.push({ line: s.line, sql: s.sql, reason });
    else run.push(i);
  });
  return { ...suite, run, skipped };
}

/**
 * The statements to send and to skip for a mode (prepareSuites plans for the default: sessions, Keel's helpers).
 *
 * @example
 * const [isolated] = planSuites(await prepareSuites(files), { mode: 'isolate' });
 */
export function planSuites(suites: PreparedSuite[], plan: SuitePlan): PreparedSuite[] {
  return suites.map((s) => planned(s, plan));
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
  /** Set before the first statement (search_path, statement_timeout…), as `name → value`. */
  settings?: Record<string, string>;
  /** The settings last for the transaction (`set local`), else for the session. Default true. */
  local?: boolean;
  /** A schema appended to the search_path the file starts with, unless it is on it already (pgTAP's). */
  pathSchema?: string;
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
  if (settings.length || opts.pathSchema) {
    // one round trip for all of them
    const local = opts.local ?? true;
    const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, ${local})`);
    const params: unknown[] = settings.flat();
    if (opts.pathSchema) {
      params.push(opts.pathSchema);
      const p = `$${params.length}::text`;
      calls.push(`(select set_config('search_path', current_setting('search_path') || ', ' || quote_ident(${p}), ${local})
                    where not (${p} = any(current_schemas(false))))`);
    }
    await tx.query(`select ${calls.join(', ')}`, params);
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
      return {
        lines,
        error: statementError(suite, stmt, err),
        fatal: isFatal(err),
        statementsRun,
        durationMs: performance.now() - started,
      };
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
 * Runs one suite in its own rolled-back transaction (--isolate): files never see each other's data. A file with a
 * read or syntax error is reported without touching the database.
 */
export async function runSuiteIsolated(engine: Engine, suite: PreparedSuite, opts: RunSuiteOptions = {}): Promise<SuiteRun> {
  if (suite.error) return { lines: [], error: suite.error, statementsRun: 0, durationMs: 0 };
  const started = performance.now();
  try {
    return await inRolledBackTransaction(engine, (tx) => runSuiteStatements(tx, suite, { ...opts, local: true }));
  } catch (err) {
    // BEGIN or the settings failed, or the rollback did (the engine died).
    return { lines: [], error: errorOf(err), fatal: true, statementsRun: 0, durationMs: performance.now() - started };
  }
}

/**
 * Runs one suite as psql runs a file for pg_prove: in a fresh session of its own (Engine.session), in autocommit, each
 * statement committing unless the file's own BEGIN is open, stopping at the first error (ON_ERROR_STOP). What the file
 * leaves open or aborted is rolled back when its session ends; what it committed stays for the files after it.
 */
export async function runSuiteInSession(engine: Engine, suite: PreparedSuite, opts: RunSuiteOptions = {}): Promise<SuiteRun> {
  if (suite.error) return { lines: [], error: suite.error, statementsRun: 0, durationMs: 0 };
  const started = performance.now();
  let run: SuiteRun | undefined;
  try {
    await engine.session(async (s) => {
      run = await runSuiteStatements(s, suite, { ...opts, local: false });
    });
    return run!;
  } catch (err) {
    // the session could not be opened, set up or ended: the engine is gone
    if (run) return { ...run, error: run.error ?? errorOf(err), fatal: true };
    return { lines: [], error: errorOf(err), fatal: true, statementsRun: 0, durationMs: performance.now() - started };
  }
}

/** Runs one suite in `mode` (see SuiteMode). */
export function runSuite(engine: Engine, suite: PreparedSuite, opts: RunSuiteOptions & { mode?: SuiteMode } = {}): Promise<SuiteRun> {
  return (opts.mode ?? 'session') === 'isolate' ? runSuiteIsolated(engine, suite, opts) : runSuiteInSession(engine, suite, opts);
}
