import type { Engine, Queryable } from '../../db/engine.js';
import { KeelError } from '../../core/errors.js';
import { compareVersions } from '../../core/project/migration-name.js';
import { compareHistory, type Comparison } from './compare.js';
import { ensureHistoryTables, isApplied, MIGRATION_LOCK_KEY, readHistory, readSeedHashes, recordMigration, recordSeed } from './history.js';
import type { PreparedMigration } from './load.js';
import { runStatements, type PreparedFile } from './run-file.js';

/** Runs `fn` in a transaction: its own per file (migrate), or one shared by the whole run (reset). */
export type TxRunner = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

export interface RunSettings {
  engine: Engine;
  /** Where reads go: the engine, or the shared transaction when the whole run is one (reset). */
  db: Queryable;
  runTx: TxRunner;
  toolVersion: string;
  /** Statements run at the start of every transaction (the shim's search_path), since a pooler may switch sessions. */
  preamble?: string;
  onFile?: (event: FileOutcome) => void;
}

export interface FileOutcome {
  kind: 'migration' | 'role' | 'policy' | 'seed';
  file: string;
  version?: string;
  status: 'applied' | 'skipped' | 'would-apply' | 'unchanged';
  statements: number;
  durationMs: number;
}

async function inTx<T>(s: RunSettings, f: PreparedFile, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if (f.noTransaction) return fn(s.db);
  return s.runTx(async (tx) => {
    if (s.preamble) await tx.exec(s.preamble);
    return fn(tx);
  });
}

/** Stops with every drifted file named: an applied file edited since, or applied versions with no local file. */
export function assertNoDrift(cmp: Comparison): void {
  const problems = [
    ...cmp.changed.map((c) => `${c.file} was edited after it was applied (sha256 differs from the one recorded)`),
    ...cmp.missing.map((m) => `version ${m.version}${m.name ? ` (${m.name})` : ''} is applied in the database but has no local file${cmp.newerInDb.includes(m.version) ? ' and is newer than every local file' : ''}`),
  ];
  if (problems.length === 0) return;
  throw new KeelError('KEEL_MIGRATION_DRIFT', `the database's migration history does not match supabase/migrations (${problems.length} problem${problems.length > 1 ? 's' : ''})`, {
    problems,
    hint: 'restore the original file and add a new migration for the change; or, if the database is right, run `keel migration repair <version> --status applied|reverted`',
  });
}

/**
 * Applies pending migrations in version order, each file in one transaction together with its history rows. On a
 * server, each transaction first takes an advisory lock and re-reads the history, so two migrators never apply a file
 * twice, even through a transaction-mode pooler.
 *
 * @example
 * const outcomes = await applyMigrations(settings, sql.migrations, { to: '003' });
 */
export async function applyMigrations(
  s: RunSettings,
  migrations: PreparedMigration[],
  opts: { to?: string; dryRun?: boolean } = {},
): Promise<FileOutcome[]> {
  if (!opts.dryRun) await s.runTx((tx) => ensureHistoryTables(tx));
  const cmp = compareHistory(migrations.map((m) => m.migration), await readHistory(s.db));
  assertNoDrift(cmp);
  const pendingKeys = new Set(cmp.pending.map((p) => p.version));
  const outcomes: FileOutcome[] = [];
  for (const m of migrations) {
    if (!pendingKeys.has(m.migration.version)) continue;
    if (opts.to !== undefined && compareVersions(m.migration.version, opts.to) > 0) break;
    const base = { kind: 'migration' as const, file: m.file.file, version: m.migration.version, statements: m.statements.length };
    if (opts.dryRun) {
      outcomes.push({ ...base, status: 'would-apply', durationMs: 0 });
      continue;
    }
    const started = performance.now();
    const applied = await inTx(s, m, async (tx) => {
      if (s.engine.capabilities.advisoryLocks && !m.noTransaction) {
        await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        if (await isApplied(tx, m.migration.version)) return false; // another migrator got here first
      }
      await runStatements(tx, m, { inTransaction: !m.noTransaction });
      const record = async (q: Queryable) =>
        recordMigration(q, {
          version: m.migration.version,
          name: m.migration.name,
          statements: m.statements.map((st) => st.sql),
          sha256: m.file.sha256,
          durationMs: performance.now() - started,
          toolVersion: s.toolVersion,
        });
      if (m.noTransaction) await s.runTx(record);
      else await record(tx);
      return true;
    });
    const outcome: FileOutcome = { ...base, status: applied ? 'applied' : 'skipped', durationMs: performance.now() - started };
    outcomes.push(outcome);
    s.onFile?.(outcome);
  }
  return outcomes;
}

/** Applies idempotent declarative files (roles/, then policies/), each in its own transaction, in name order. */
export async function applyDeclarative(s: RunSettings, kind: 'role' | 'policy', files: PreparedFile[], opts: { dryRun?: boolean } = {}): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const f of files) {
    const started = performance.now();
    if (!opts.dryRun) await inTx(s, f, (tx) => runStatements(tx, f, { inTransaction: !f.noTransaction }));
    const outcome: FileOutcome = { kind, file: f.file.file, status: opts.dryRun ? 'would-apply' : 'applied', statements: f.statements.length, durationMs: performance.now() - started };
    outcomes.push(outcome);
    s.onFile?.(outcome);
  }
  return outcomes;
}

/** Runs seed files in order; a file whose hash is recorded unchanged is skipped unless `force`. */
export async function applySeeds(s: RunSettings, files: PreparedFile[], opts: { force?: boolean; dryRun?: boolean } = {}): Promise<FileOutcome[]> {
  const done = opts.force ? new Map<string, string>() : await readSeedHashes(s.db);
  const outcomes: FileOutcome[] = [];
  for (const f of files) {
    const started = performance.now();
    const base = { kind: 'seed' as const, file: f.file.file, statements: f.statements.length };
    if (done.get(f.file.file) === f.file.sha256) {
      outcomes.push({ ...base, status: 'unchanged', durationMs: 0 });
      continue;
    }
    if (!opts.dryRun) {
      await inTx(s, f, async (tx) => {
        await runStatements(tx, f, { inTransaction: !f.noTransaction });
        await ensureHistoryTables(tx);
        await recordSeed(tx, f.file.file, f.file.sha256);
      });
    }
    const outcome: FileOutcome = { ...base, status: opts.dryRun ? 'would-apply' : 'applied', durationMs: performance.now() - started };
    outcomes.push(outcome);
    s.onFile?.(outcome);
  }
  return outcomes;
}
