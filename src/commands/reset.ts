import { applyDeclarative, applyMigrations, applySeeds, type FileOutcome } from '../features/migrate/apply.js';
import { wipeDatabase } from '../features/migrate/reset.js';
import { KeelError } from '../core/errors.js';
import type { Engine, Queryable } from '../db/engine.js';
import type { ProjectSql } from '../features/migrate/load.js';
import { loadProject, prepareDatabase, runSettings, withProjectSql, type CommonOptions } from './context.js';

export interface ResetOptions extends CommonOptions {
  /** Skip seed files. */
  noSeed?: boolean;
  /** Confirmed (required for a non-local database unless `confirm` says yes). */
  yes?: boolean;
  /** Asked when the target is not local and `yes` is not set; the CLI prompts on a TTY. */
  confirm?: (target: string) => Promise<boolean>;
}

export interface ResetResult {
  target: string;
  engine: string;
  dropped: string[];
  migrations: FileOutcome[];
  roles: FileOutcome[];
  policies: FileOutcome[];
  seeds: FileOutcome[];
  warnings: string[];
  durationMs: number;
}

/**
 * `keel db reset`: drops every user schema, then migrates, applies roles and policies, and seeds. When no file needs
 * `-- keel:no-transaction`, the whole reset is one transaction: a failure anywhere leaves the database as it was.
 *
 * @example
 * const r = await reset({ cwd: 'examples/scalemate' });
 */
export async function reset(opts: ResetOptions = {}): Promise<ResetResult> {
  const project = loadProject(opts);
  return withProjectSql(project, { ...opts, command: 'keel db reset' }, (engine, sql) => resetOn(engine, sql, opts));
}

/** The reset itself, on an open engine (also used by commands that reset before they test, e.g. `keel test rls`). */
export async function resetOn(engine: Engine, sql: ProjectSql, opts: ResetOptions): Promise<ResetResult> {
  const started = performance.now();
  if (!engine.capabilities.local && !opts.yes) {
    const ok = opts.confirm ? await opts.confirm(engine.target) : false;
    if (!ok) {
      throw new KeelError('KEEL_CONFIRM', `refusing to reset ${engine.target}: it is not a local database`, {
        hint: 'pass --yes to confirm that every user schema on it may be dropped',
      });
    }
  }
  const files = [...sql.migrations, ...sql.roles, ...sql.policies, ...sql.seeds];
  const oneTransaction = !files.some((f) => f.noTransaction);
  const run = async (db: Queryable, runTx: Parameters<typeof runSettings>[2]) => {
    const dropped = await runTx((tx) => wipeDatabase(tx));
    const { preamble } = await runTx((tx) => prepareDatabase(tx));
    const s = runSettings(engine, db, runTx, { preamble, onFile: opts.onFile });
    const migrations = await applyMigrations(s, sql.migrations);
    const roles = await applyDeclarative(s, 'role', sql.roles);
    const policies = await applyDeclarative(s, 'policy', sql.policies);
    const seeds = opts.noSeed ? [] : await applySeeds(s, sql.seeds, { force: true });
    return { dropped, migrations, roles, policies, seeds };
  };
  const out = oneTransaction
    ? await engine.transaction((tx) => run(tx, (fn) => fn(tx)))
    : await run(engine, (fn) => engine.transaction(fn));
  return { target: engine.target, engine: engine.kind, ...out, warnings: sql.warnings, durationMs: performance.now() - started };
}
