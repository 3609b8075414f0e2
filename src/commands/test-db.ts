import type { Engine, Queryable, Transaction } from '../db/engine.js';
import { extensionsUsed, loadProjectSql, type ProjectSql } from '../features/migrate/load.js';
import { discoverSuites, type SuiteFile } from '../features/pgtap/discover.js';
import { installTestHelpers, TEST_HELPER_SCHEMAS } from '../features/pgtap/helpers-sql.js';
import { installPgtap, type PgtapInstall } from '../features/pgtap/install.js';
import { fileReport, totalsOf, type TestDbFile, type TestDbTotals } from '../features/pgtap/report.js';
import {
  planSuites,
  prepareSuites,
  runSuite,
  type PreparedSuite,
  type RunSuiteOptions,
  type SuiteMode,
} from '../features/pgtap/run-file.js';
import { databaseProvidesCommunityHelpers, helperUseOf } from '../features/pgtap/suite-helpers.js';
import { SECRET_KEY_SETTING } from '../db/shim/secrets.js';
import type { Project } from '../core/project/layout.js';
import { resetOn } from './reset.js';
import { loadProject, withEngineLoading, type CommonOptions } from './context.js';

export interface TestDbOptions extends CommonOptions {
  /** Suite files or folders, relative to the project root (default: every .sql/.pg file under supabase/tests/). */
  paths?: string[];
  /** Use the database as it is instead of resetting it first. */
  noReset?: boolean;
  /** Confirms the reset of a non-local database. */
  yes?: boolean;
  /**
   * Run each file in a transaction Keel rolls back, its own BEGIN/COMMIT/ROLLBACK dropped (Keel's mode before 0.2).
   * Default: as `supabase test db` (pg_prove) runs them, each file in a fresh session in autocommit.
   */
  isolate?: boolean;
  /** Longest a single statement may run (server statement_timeout); default 120 s. */
  statementTimeoutMs?: number;
  /**
   * Installs what suites need besides pgTAP, once per run, in the transaction that installs pgTAP (committed). Default:
   * Keel's built-in Supabase test helpers (schema `tests`), except those the project defines or installs itself.
   */
  prepare?: (tx: Transaction) => Promise<void>;
  /** Called as each file finishes (progress output). */
  onSuite?: (file: TestDbFile) => void;
}

export interface TestDbResult {
  target: string;
  engine: string;
  /** `session` (each file in a fresh session, as pg_prove) or `isolate` (each file rolled back). */
  mode: SuiteMode;
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
 * pgTAP and the test helpers, then runs the suite files in name order, statement by statement. By default each file runs
 * as `supabase test db` runs it with pg_prove: in a fresh session, in autocommit, so the file's own `begin; … rollback;`
 * decides what is undone and what it commits outside a transaction is seen by the files after it (`isolate`: each file
 * in a transaction rolled back afterwards). A file fails on a failing test, a bad or missing plan, or an error (which
 * stops that file only).
 *
 * @example
 * const r = await testDb({ cwd: 'examples/scalemate' });
 * console.log(`${r.totals.passed} passed, ${r.totals.failed} failed`);
 */
export async function testDb(opts: TestDbOptions = {}): Promise<TestDbResult> {
  const started = performance.now();
  const project = loadProject(opts);
  const found = discoverSuites(project, opts.paths);
  const mode: SuiteMode = opts.isolate ? 'isolate' : 'session';
  return withTestEngine(project, opts, found, async (engine, sql, prepared, key) => {
    if (sql) {
      // what the suites committed in the helper schemas last run goes too (a reset keeps those schemas)
      if (engine.capabilities.local || opts.yes) await engine.transaction((tx) => dropHelperSchemas(tx));
      await resetOn(engine, sql, { ...opts, onFile: undefined });
    }
    const use = helperUseOf(prepared.map((s) => s.statements));
    const { pgtap, community } = await engine.transaction(async (tx) => {
      const installed = await installPgtap(tx, engine.kind);
      const byDatabase = use.installsCommunity && (await databaseProvidesCommunityHelpers(tx));
      if (opts.prepare) await opts.prepare(tx);
      else await installTestHelpers(tx, { defines: use.defines, ownsSchemas: use.ownsSchemas, none: byDatabase });
      return { pgtap: installed, community: byDatabase };
    });
    const suites = planSuites(prepared, { mode, communityHelpers: community });
    const built = performance.now();
    const runOptions = suiteOptions(mode, pgtap, opts, key);
    const files: TestDbFile[] = [];
    let stopped = false;
    for (const suite of suites) {
      const run = stopped ? undefined : await runSuite(engine, suite, { ...runOptions, mode });
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
      mode,
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
 * What each file starts with. A session keeps the search_path a new session gets (the database's, as under pg_prove),
 * with pgTAP's schema appended when it is not on it, plus statement_timeout and the secret key when set. An isolated
 * file's transaction gets Keel's search_path and statement_timeout (the key comes with the transaction).
 */
function suiteOptions(mode: SuiteMode, pgtap: PgtapInstall, opts: TestDbOptions, key: string | undefined): RunSuiteOptions {
  const timeout = String(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  if (mode === 'isolate') {
    const elsewhere = ['public', 'extensions'].includes(pgtap.schema) ? [] : [`"${pgtap.schema.replace(/"/g, '""')}"`];
    return { settings: { search_path: ['"$user"', 'public', 'extensions', ...elsewhere].join(', '), statement_timeout: timeout } };
  }
  return { settings: { statement_timeout: timeout, ...(key && { [SECRET_KEY_SETTING]: key }) }, pathSchema: pgtap.schema };
}

/**
 * Drops the helper schemas (`tests`, `test_overrides`) before a reset, so nothing a suite committed there survives
 * into the next run; a schema holding an extension's objects (the community helpers installed as an extension) stays.
 */
async function dropHelperSchemas(tx: Queryable): Promise<void> {
  await tx.exec(`do $keel$
declare s text;
begin
  foreach s in array array[${TEST_HELPER_SCHEMAS.map((n) => `'${n}'`).join(', ')}] loop
    if to_regnamespace(s) is not null and not exists (
         select 1 from pg_depend d
           join pg_proc p on d.classid = 'pg_proc'::regclass and d.objid = p.oid
          where d.deptype = 'e' and p.pronamespace = to_regnamespace(s)) then
      execute format('drop schema %I cascade', s);
    end if;
  end loop;
end $keel$`);
}

/**
 * Opens the engine with pgTAP registered (PGlite loads extension modules at start-up) while the project's SQL and the
 * suites load; reopens when the SQL creates an extension the open engine lacks. Always closes it.
 */
async function withTestEngine<T>(
  project: Project,
  opts: TestDbOptions,
  found: SuiteFile[],
  fn: (engine: Engine, sql: ProjectSql | undefined, suites: PreparedSuite[], key: string | undefined) => Promise<T>,
): Promise<T> {
  const key = (opts.env ?? process.env)[project.config.secrets.keyEnv];
  return withEngineLoading(
    project,
    { ...opts, command: COMMAND, extensions: ['pgtap'] },
    () => Promise.all([opts.noReset ? Promise.resolve(undefined) : loadProjectSql(project), prepareSuites(found)] as const),
    ([sql]) => (sql ? extensionsUsed(sql) : []),
    (engine, [sql, suites]) => fn(engine, sql, suites, key),
  );
}
