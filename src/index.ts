/**
 * Keel's library API: every command is a function that returns its result; only the CLI prints or exits.
 *
 * @example
 * import { reset, status } from 'keel-db';
 * await reset({ cwd: 'examples/scalemate' });
 * console.log((await status({ cwd: 'examples/scalemate' })).applied);
 */
export { init, NPM_SCRIPTS, type InitResult } from './commands/init.js';
export { migrate, seed, type MigrateOptions, type MigrateResult, type SeedOptions, type SeedResult } from './commands/migrate.js';
export { reset, type ResetOptions, type ResetResult } from './commands/reset.js';
export { dbStart, dbStop, type DbServerResult } from './commands/db-server.js';
export { dbServe, type DbServeOptions, type DbServer } from './commands/db-serve.js';
export { status, ping, type StatusResult, type PingResult } from './commands/status.js';
export { newMigration, repair, type NewMigrationOptions, type RepairOptions } from './commands/migration.js';
export type { CommonOptions } from './commands/context.js';
export type { FileOutcome } from './features/migrate/apply.js';
export type { MigrationStatus, MigrationState } from './features/migrate/compare.js';
export { KeelError, DbError, type SourceLocation } from './core/errors.js';
export { redact } from './core/redact.js';
export { openProject, type Project } from './core/project/layout.js';
export { parseMigrationName, checkMigrationName, compareVersions } from './core/project/migration-name.js';
export { splitSql, type Statement } from './core/sql/split.js';
export { ensureParser } from './core/sql/parser.js';
export { openEngine, resolveTarget } from './db/open.js';
export type { Engine, Queryable, QueryResult, Capabilities, Target } from './db/engine.js';
export { installShim } from './db/shim/supabase-shim.js';
export { readCatalog, diffCatalogs, catalogFingerprint, type Catalog } from './core/catalog/index.js';
export { startLocalServer, type LocalServer } from './db/postgres/local-server.js';
export { KEEL_VERSION } from './version.js';
export { testRls, type TestRlsOptions, type TestRlsResult } from './commands/test-rls.js';
export { testDb, type TestDbOptions, type TestDbResult } from './commands/test-db.js';
export { asUser } from './features/rls/as-user.js';
export type { Persona } from './features/rls/spec.js';
export type { Cell } from './features/rls/run.js';
export { withSecretKey } from './features/rls/secret-key.js';
export { genTypes, type GenTypesOptions, type GenTypesResult } from './commands/gen-types.js';
export { lint, listRules, type LintOptions, type LintResult } from './commands/lint.js';
export { toSarif } from './features/lint/sarif.js';
export type { Finding, Level, RuleInfo } from './features/lint/finding.js';
export {
  validate,
  VALIDATE_CHECKS,
  type ValidateOptions,
  type ValidateResult,
  type ValidateFinding,
  type ValidateProgress,
  type CheckFamily,
} from './commands/validate.js';
export {
  backup,
  backupPrune,
  restore,
  verify as verifyBackup,
  type BackupOptions,
  type BackupResult,
  type BackupProgress,
  type BackupPruneOptions,
  type RestoreOptions,
  type RestoreResult,
} from './commands/backup.js';
