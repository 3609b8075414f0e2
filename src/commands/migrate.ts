import { applyDeclarative, applyMigrations, applySeeds, type FileOutcome } from '../features/migrate/apply.js';
import { KeelError } from '../core/errors.js';
import type { GeneratedFile } from './gen-types.js';
import { loadProject, prepareDatabase, runSettings, withProjectFiles, type CommonOptions } from './context.js';

export interface MigrateOptions extends CommonOptions {
  /** Stop after this version. */
  to?: string;
  /** Show what would run; change nothing. */
  dryRun?: boolean;
  /** Skip the full backup taken before migrating a database that is not local. */
  noBackup?: boolean;
}

export interface MigrateResult {
  target: string;
  engine: string;
  migrations: FileOutcome[];
  roles: FileOutcome[];
  policies: FileOutcome[];
  warnings: string[];
  /** Type files regenerated (when the config asks for it). */
  types?: GeneratedFile[];
  /** The full backup taken first (a database that is not local, with pending migrations, unless `noBackup`). */
  backup?: { path: string; bytes: number; durationMs: number };
}

/**
 * `keel db migrate`: applies pending migrations (each file in one transaction with its history row), then roles/ and
 * policies/ (each file in a transaction). Every file new or edited since Keel last read it is parsed first: a syntax
 * error anywhere applies nothing; files that do not run (applied, unchanged) are not parsed again.
 *
 * @example
 * const result = await migrate({ cwd: 'examples/scalemate' });
 * result.migrations.filter((m) => m.status === 'applied').length
 */
export async function migrate(opts: MigrateOptions = {}): Promise<MigrateResult> {
  if (opts.to !== undefined && !/^\d+$/.test(opts.to)) {
    throw new KeelError('KEEL_BAD_OPTION', `--to must be a migration version (digits), not "${opts.to}"`, {
      hint: 'see `keel migration list`',
    });
  }
  const project = loadProject(opts);
  return withProjectFiles(project, { ...opts, command: 'keel db migrate' }, async (engine, sql) => {
    // The backup and type modules load only when asked for (a local migrate needs neither: ~0.06 s each at start-up).
    const backup = engine.capabilities.local
      ? undefined
      : await (await import('./backup.js')).backupBeforeMigrate(engine, project, sql, opts);
    const { preamble } = opts.dryRun ? { preamble: undefined } : await engine.transaction((tx) => prepareDatabase(tx));
    const s = runSettings(engine, engine, (fn) => engine.transaction(fn), { preamble, onFile: opts.onFile });
    const migrations = await applyMigrations(s, sql.migrations, { to: opts.to, dryRun: opts.dryRun });
    const roles = await applyDeclarative(s, 'role', sql.roles, { dryRun: opts.dryRun });
    const policies = await applyDeclarative(s, 'policy', sql.policies, { dryRun: opts.dryRun });
    // `[types] on_migrate = true`: the generated types follow the schema.
    const types =
      project.config.types.onMigrate && !opts.dryRun
        ? (await (await import('./gen-types.js')).genTypesOn(engine, project, {})).files
        : undefined;
    return {
      target: engine.target,
      engine: engine.kind,
      migrations,
      roles,
      policies,
      warnings: sql.warnings,
      ...(types && { types }),
      ...(backup && { backup }),
    };
  });
}

export interface SeedOptions extends CommonOptions {
  /** Run seed files even when their hash is unchanged. */
  force?: boolean;
  dryRun?: boolean;
}

export interface SeedResult {
  target: string;
  seeds: FileOutcome[];
  /** Why no seed file ran: config.toml's `[db.seed] enabled = false`; absent when seeding ran. */
  seedsSkipped?: string;
  warnings: string[];
}

/**
 * `keel db seed`: runs seed files (`seed/*.sql`, then `seed.sql`) in order, each in a transaction; files whose hash is
 * recorded unchanged are skipped unless `force`. Runs none when config.toml says `[db.seed] enabled = false` (`seedsSkipped`).
 *
 * @example
 * await seed({ cwd: '.', force: true });
 */
export async function seed(opts: SeedOptions = {}): Promise<SeedResult> {
  const project = loadProject(opts);
  return withProjectFiles(project, { ...opts, command: 'keel db seed' }, async (engine, sql) => {
    const { preamble } = await engine.transaction((tx) => prepareDatabase(tx));
    const s = runSettings(engine, engine, (fn) => engine.transaction(fn), { preamble, onFile: opts.onFile });
    const seeds = await applySeeds(s, sql.seeds, { force: opts.force, dryRun: opts.dryRun });
    return {
      target: engine.target,
      seeds,
      ...(sql.seedsDisabled && { seedsSkipped: sql.seedsDisabled }),
      warnings: [...sql.warnings, ...(sql.seedWarnings ?? [])],
    };
  });
}
