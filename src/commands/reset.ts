import { applyDeclarative, applyMigrations, applySeeds, type FileOutcome } from '../features/migrate/apply.js';
import { wipeDatabase } from '../features/migrate/reset.js';
import { dropEventTriggers, dropLeftoversAfterWipe } from '../features/migrate/leftovers.js';
import { KeelError } from '../core/errors.js';
import type { Engine, Queryable } from '../db/engine.js';
import type { ProjectSql } from '../features/migrate/load.js';
import { commandTarget, loadProject, prepareDatabase, runSettings, withProjectSql, type CommonOptions } from './context.js';

export interface ResetOptions extends CommonOptions {
  /** Skip seed files. */
  noSeed?: boolean;
  /** Confirmed (required for a non-local database unless `confirm` says yes). */
  yes?: boolean;
  /** Asked when the target is not local and `yes` is not set; the CLI prompts on a TTY. */
  confirm?: (target: string) => Promise<boolean>;
  /** `in-place`: drop and rebuild inside the existing database even where it could be recreated. Default `auto`. */
  mode?: 'auto' | 'in-place';
  /**
   * Runs on the built database before the build commits (inside its transaction when the build is one); a throw rolls
   * the whole reset back. `keel test rls` checks its spec here, so a bad spec leaves the database as it was.
   */
  beforeCommit?: (db: Queryable) => Promise<void>;
}

/**
 * How the reset replaced the database:
 * - `data-dir`: a new embedded data dir built beside the old one from the template, swapped in by renaming;
 * - `new-instance`: a new in-memory PGlite;
 * - `new-database`: a scratch database on the server, swapped in by renaming, the old one dropped;
 * - `in-place`: user schemas and the previous build's leftovers dropped inside the existing database, then rebuilt.
 */
export type ResetMode = 'data-dir' | 'new-instance' | 'new-database' | 'in-place';

export interface ResetResult {
  target: string;
  engine: string;
  mode: ResetMode;
  /** Why the database was not recreated (in-place mode only). */
  inPlaceReason?: string;
  /** True when the previous database was replaced whole (data-dir, new-database). */
  replaced: boolean;
  /** User schemas dropped (in place), or those the replaced database had when known. */
  dropped: string[];
  /** What an in-place reset dropped outside the user schemas (extensions, publications, event triggers, …). */
  droppedOutside: string[];
  migrations: FileOutcome[];
  roles: FileOutcome[];
  policies: FileOutcome[];
  seeds: FileOutcome[];
  /** Why no seed file ran: `--no-seed`, or config.toml's `[db.seed] enabled = false` (as `supabase db reset`); absent when seeding ran. */
  seedsSkipped?: string;
  warnings: string[];
  durationMs: number;
}

/**
 * `keel db reset`: recreates the database and builds it from the project's files (migrations, roles, policies, seeds),
 * as `supabase db reset` recreates its database. The new database is built aside and swapped in only when the whole
 * build succeeded, so a failure anywhere (also in a `-- keel:no-transaction` file) leaves the previous one untouched:
 * a new data dir on embedded PGlite, a scratch database on a local server where the role may create databases. Where
 * the database cannot be recreated (a remote or managed one, no CREATEDB, a pooler) it is emptied and rebuilt in place,
 * in one transaction when no file is `-- keel:no-transaction`. `mode` in the result says which.
 *
 * @example
 * const r = await reset({ cwd: 'examples/scalemate' }); // r.mode === 'data-dir'
 */
export async function reset(opts: ResetOptions = {}): Promise<ResetResult> {
  const project = loadProject(opts);
  const target = await commandTarget(project, opts);
  if (target.kind === 'pglite' && 'dataDir' in target) {
    const { resetDataDir } = await import('./reset-data-dir.js');
    return resetDataDir(project, target.dataDir, opts);
  }
  if (target.kind === 'postgres') {
    const { resetServer } = await import('./reset-server.js');
    return resetServer(project, target.url, { ...opts, keelServer: target.keelServer });
  }
  return withProjectSql(project, { ...opts, command: 'keel db reset' }, (engine, sql) =>
    buildOn(engine, sql, opts, { mode: 'new-instance' }),
  );
}

/** Refuses a non-local target unless confirmed (`yes`, or `confirm` answering yes). */
export async function confirmReset(engine: Engine, opts: ResetOptions): Promise<void> {
  if (engine.capabilities.local || opts.yes) return;
  const ok = opts.confirm ? await opts.confirm(engine.target) : false;
  if (!ok) {
    throw new KeelError('KEEL_CONFIRM', `refusing to reset ${engine.target}: it is not a local database`, {
      hint: 'pass --yes to confirm that every user schema on it may be dropped',
    });
  }
}

/**
 * The reset in place, on an open engine (also used by commands that reset before they test, e.g. `keel test rls`,
 * which go on using the engine): drops every user schema and the previous build's leftovers, then builds.
 */
export async function resetOn(engine: Engine, sql: ProjectSql, opts: ResetOptions & { inPlaceReason?: string }): Promise<ResetResult> {
  await confirmReset(engine, opts);
  return buildOn(engine, sql, opts, { mode: 'in-place', wipe: true, inPlaceReason: opts.inPlaceReason });
}

/**
 * Builds the project on `engine`: (in place: the wipe first), the shim, migrations, roles, policies, seeds. When no
 * file needs `-- keel:no-transaction`, all of it is one transaction.
 */
export async function buildOn(
  engine: Engine,
  sql: ProjectSql,
  opts: ResetOptions,
  how: { mode: ResetMode; wipe?: boolean; inPlaceReason?: string },
): Promise<ResetResult> {
  const started = performance.now();
  const files = [...sql.migrations, ...sql.roles, ...sql.policies, ...sql.seeds];
  const oneTransaction = !files.some((f) => f.noTransaction);
  const run = async (db: Queryable, runTx: Parameters<typeof runSettings>[2]) => {
    const wiped = how.wipe
      ? await runTx(async (tx) => {
          const triggers = await dropEventTriggers(tx);
          const dropped = await wipeDatabase(tx);
          return { dropped, droppedOutside: [...triggers, ...(await dropLeftoversAfterWipe(tx, sql))] };
        })
      : { dropped: [], droppedOutside: [] };
    const { preamble } = await runTx((tx) => prepareDatabase(tx));
    const s = runSettings(engine, db, runTx, { preamble, onFile: opts.onFile });
    const migrations = await applyMigrations(s, sql.migrations);
    const roles = await applyDeclarative(s, 'role', sql.roles);
    const policies = await applyDeclarative(s, 'policy', sql.policies);
    const seeds = opts.noSeed ? [] : await applySeeds(s, sql.seeds, { force: true });
    if (opts.beforeCommit) await opts.beforeCommit(db);
    return { ...wiped, migrations, roles, policies, seeds };
  };
  const out = oneTransaction
    ? await engine.transaction((tx) => run(tx, (fn) => fn(tx)))
    : await run(engine, (fn) => engine.transaction(fn));
  const warnings = [...sql.warnings, ...(opts.noSeed ? [] : (sql.seedWarnings ?? []))];
  const seedsSkipped = opts.noSeed ? 'seeds skipped (--no-seed)' : sql.seedsDisabled;
  if (how.mode === 'in-place' && !oneTransaction) {
    warnings.push(
      'reset in place with a -- keel:no-transaction file: not atomic (a failure after that file leaves the database part-built)',
    );
  }
  return {
    target: engine.target,
    engine: engine.kind,
    mode: how.mode,
    ...(how.inPlaceReason ? { inPlaceReason: how.inPlaceReason } : {}),
    replaced: false,
    ...out,
    ...(seedsSkipped && { seedsSkipped }),
    warnings,
    durationMs: performance.now() - started,
  };
}
