import type { Engine, Transaction } from '../db/engine.js';
import { openEngine, resolveTarget } from '../db/open.js';
import { extensionsUsed, loadProjectSql, type ProjectSql } from '../features/migrate/load.js';
import { discoverSuites, type SuiteFile } from '../features/pgtap/discover.js';
import { installTestHelpers } from '../features/pgtap/helpers-sql.js';
import { installPgtap, type PgtapInstall } from '../features/pgtap/install.js';
import { fileReport, totalsOf, type TestDbFile, type TestDbTotals } from '../features/pgtap/report.js';
import { prepareSuites, runSuite, type PreparedSuite } from '../features/pgtap/run-file.js';
import { withSecretKey } from '../features/rls/secret-key.js';
import type { Project } from '../core/project/layout.js';
import { resetOn } from './reset.js';
import { loadProject, type CommonOptions } from './context.js';

export interface TestDbOptions extends CommonOptions {
  /** Suite files or folders, relative to the project root (default: every .sql/.pg file under supabase/tests/). */
  paths?: string[];
  /** Use the database as it is instead of resetting it first. */
  noReset?: boolean;
  /** Confirms the reset of a non-local database. */
  yes?: boolean;
  /** Longest a single statement may run (server statement_timeout); default 120 s. */
  statementTimeoutMs?: number;
  /**
   * Installs what suites need besides pgTAP, once per run, in the transaction that installs pgTAP (committed). Default:
   * Keel's built-in Supabase test helpers (schema `tests`).
   */
  prepare?: (tx: Transaction) => Promise<void>;
  /** Called as each file finishes (progress output). */
  onSuite?: (file: TestDbFile) => void;
}

export interface TestDbResult {
  target: string;
  engine: string;
  pgtap: PgtapInstall;
  files: TestDbFile[];
  totals: TestDbTotals;
  /** Opening, reset and installing pgTAP and the helpers. */
  buildMs: number;
  /** Running the files. */
  testMs: number;
  durationMs: number;
  ok: boolean;
}

const COMMAND = 'keel test db';
const DEFAULT_STATEMENT_TIMEOUT_MS = 120_000;

/**
 * `keel test db`: builds the database once (reset: migrations, roles, policies, seeds — unless `noReset`), installs
 * pgTAP and the test helpers, then runs each suite file statement by statement in its own transaction, rolled back
 * afterwards. A file fails on a failing test, a bad or missing plan, or an error (which stops that file only).
 *
 * @example
 * const r = await testDb({ cwd: 'examples/scalemate' });
 * console.log(`${r.totals.passed} passed, ${r.totals.failed} failed`);
 */
export async function testDb(opts: TestDbOptions = {}): Promise<TestDbResult> {
  const started = performance.now();
  const project = loadProject(opts);
  const found = discoverSuites(project, opts.paths);
  return withTestEngine(project, opts, found, async (engine, sql, suites) => {
    if (sql) await resetOn(engine, sql, { ...opts, onFile: undefined });
    const prepare = opts.prepare ?? installTestHelpers;
    const pgtap = await engine.transaction(async (tx) => {
      const installed = await installPgtap(tx, engine.kind);
      await prepare(tx);
      return installed;
    });
    const built = performance.now();
    const searchPath = ['"$user"', 'public', 'extensions', ...(['public', 'extensions'].includes(pgtap.schema) ? [] : [`"${pgtap.schema}"`])].join(', ');
    const settings = { search_path: searchPath, statement_timeout: String(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS) };
    const files: TestDbFile[] = [];
    let stopped = false;
    for (const suite of suites) {
      const run = stopped ? undefined : await runSuite(engine, suite, { settings });
      if (run?.fatal) stopped = true;
      const report = fileReport(suite, run);
      files.push(report);
      opts.onSuite?.(report);
    }
    const totals = totalsOf(files);
    const done = performance.now();
    return {
      target: engine.target,
      engine: engine.kind,
      pgtap,
      files,
      totals,
      buildMs: built - started,
      testMs: done - built,
      durationMs: done - started,
      ok: totals.filesFailed === 0,
    };
  });
}

/**
 * Opens the engine with pgTAP registered (PGlite loads extension modules at start-up) while the project's SQL and the
 * suites load; reopens when the SQL creates an extension the open engine lacks. Always closes it.
 */
async function withTestEngine<T>(
  project: Project,
  opts: TestDbOptions,
  found: SuiteFile[],
  fn: (engine: Engine, sql: ProjectSql | undefined, suites: PreparedSuite[]) => Promise<T>,
): Promise<T> {
  const target = resolveTarget({ dbUrl: opts.dbUrl, memory: opts.memory, dataDir: project.dataDir, env: opts.env });
  const opening = openEngine(target, { command: COMMAND, extensions: ['pgtap'] });
  opening.catch(() => undefined); // handled below; this keeps an early failure from counting as unhandled meanwhile
  let sql: ProjectSql | undefined;
  let suites: PreparedSuite[];
  try {
    [sql, suites] = await Promise.all([opts.noReset ? undefined : loadProjectSql(project), prepareSuites(found)]);
  } catch (err) {
    await opening.then((e) => e.close()).catch(() => undefined);
    throw err;
  }
  let engine = await opening;
  const extensions = ['pgtap', ...(sql ? extensionsUsed(sql) : [])];
  if (engine.canCreateExtensions && !engine.canCreateExtensions(extensions)) {
    await engine.close();
    engine = await openEngine(target, { command: COMMAND, extensions });
  }
  const key = (opts.env ?? process.env)[project.config.secrets.keyEnv];
  if (key) engine = withSecretKey(engine, key);
  try {
    return await fn(engine, sql, suites);
  } finally {
    await engine.close();
  }
}
