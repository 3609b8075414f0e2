import type { Queryable } from '../../db/engine.js';
import { KEEL_LOCK_KEY } from '../../db/locks.js';
import { clearDeclarativeRecords } from './declarative-state.js';

/**
 * Migration history, compatible with the Supabase CLI: `supabase_migrations.schema_migrations(version, statements, name)`
 * is read and written exactly as the CLI does, so Keel and `supabase` can work on one database. Keel's own facts live
 * beside it in `supabase_migrations.keel_migrations`; seed hashes in the CLI's `seed_files`.
 */
export const HISTORY_SCHEMA = 'supabase_migrations';

/** Key of the advisory lock every migrator takes per transaction. */
export const MIGRATION_LOCK_KEY = KEEL_LOCK_KEY;

export interface AppliedMigration {
  version: string;
  name: string | null;
  /** Absent for versions applied by another tool (the Supabase CLI, or `migration repair`). */
  sha256: string | null;
  appliedAt: string | null;
  durationMs: number | null;
  toolVersion: string | null;
}

export async function ensureHistoryTables(db: Queryable): Promise<void> {
  // Lock first, look second: a catalog lookup made before waiting would leave a stale "no such schema" entry in this
  // session's cache, and CREATE … IF NOT EXISTS would then collide with the other migrator's committed schema.
  await db.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  const { rows } = await db.query<{ ok: boolean }>(
    `select to_regclass('supabase_migrations.keel_migrations') is not null and to_regclass('supabase_migrations.seed_files') is not null
        and exists (select 1 from pg_attribute where attrelid = to_regclass('supabase_migrations.schema_migrations') and attname = 'name') as ok`,
  );
  if (rows[0]?.ok) return;
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
    alter table supabase_migrations.schema_migrations add column if not exists statements text[];
    alter table supabase_migrations.schema_migrations add column if not exists name text;
    create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null);
    create table if not exists supabase_migrations.keel_migrations (
      version text not null primary key,
      name text,
      sha256 text not null,
      applied_at timestamptz not null default now(),
      duration_ms integer not null,
      applied_by text not null default current_user,
      tool_version text not null
    );`);
}

/**
 * Applied versions (numeric order is the caller's business); empty when the database has no history yet. Not their
 * statements: a thousand files' SQL would cross the wire on every command for nothing.
 */
export async function readHistory(db: Queryable): Promise<AppliedMigration[]> {
  const { rows: exists } = await db.query<{ cli: boolean; keel: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as cli,
            to_regclass('supabase_migrations.keel_migrations') is not null as keel`,
  );
  if (!exists[0]?.cli) return [];
  const keelJoin = exists[0].keel
    ? `left join supabase_migrations.keel_migrations k on k.version = m.version`
    : `left join (select null::text as version, null::text as sha256, null::timestamptz as applied_at, null::int as duration_ms, null::text as tool_version) k on false`;
  const { rows } = await db.query<{
    version: string;
    name: string | null;
    sha256: string | null;
    applied_at: string | null;
    duration_ms: number | null;
    tool_version: string | null;
  }>(`select m.version, m.name, k.sha256, k.applied_at::text as applied_at, k.duration_ms, k.tool_version
        from supabase_migrations.schema_migrations m ${keelJoin}`);
  return rows.map((r) => ({
    version: r.version,
    name: r.name,
    sha256: r.sha256,
    appliedAt: r.applied_at,
    durationMs: r.duration_ms,
    toolVersion: r.tool_version,
  }));
}

export interface RecordInput {
  version: string;
  name: string;
  statements: string[];
  sha256: string;
  durationMs: number;
  toolVersion: string;
}

export async function recordMigration(tx: Queryable, m: RecordInput): Promise<void> {
  // One statement (a data-modifying CTE): one round trip per file instead of two.
  await tx.query(
    `with cli as (
       insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)
       on conflict (version) do update set statements = excluded.statements, name = excluded.name
     )
     insert into supabase_migrations.keel_migrations (version, name, sha256, duration_ms, tool_version) values ($1, $3, $4, $5, $6)
     on conflict (version) do update set name = excluded.name, sha256 = excluded.sha256, applied_at = now(),
       duration_ms = excluded.duration_ms, applied_by = current_user, tool_version = excluded.tool_version`,
    [m.version, m.statements, m.name, m.sha256, Math.round(m.durationMs), m.toolVersion],
  );
}

export async function deleteMigration(tx: Queryable, version: string): Promise<boolean> {
  const r = await tx.query(`delete from supabase_migrations.schema_migrations where version = $1`, [version]);
  await tx.query(`delete from supabase_migrations.keel_migrations where version = $1`, [version]);
  return (r.affectedRows ?? 0) > 0;
}

/** Is this version recorded? Read under the advisory lock, so a concurrent migrator's commit is seen. */
export async function isApplied(tx: Queryable, version: string): Promise<boolean> {
  const { rows } = await tx.query(`select 1 from supabase_migrations.schema_migrations where version = $1`, [version]);
  return rows.length > 0;
}

export async function readSeedHashes(db: Queryable): Promise<Map<string, string>> {
  const { rows: ok } = await db.query<{ ok: boolean }>(`select to_regclass('supabase_migrations.seed_files') is not null as ok`);
  if (!ok[0]?.ok) return new Map();
  const { rows } = await db.query<{ path: string; hash: string }>(`select path, hash from supabase_migrations.seed_files`);
  return new Map(rows.map((r) => [r.path, r.hash]));
}

export async function recordSeed(tx: Queryable, path: string, hash: string): Promise<void> {
  await tx.query(
    `insert into supabase_migrations.seed_files (path, hash) values ($1, $2) on conflict (path) do update set hash = excluded.hash`,
    [path, hash],
  );
}

/** Empties the history (reset): the schema stays, so the Supabase CLI keeps finding it. */
export async function clearHistory(tx: Queryable): Promise<void> {
  await ensureHistoryTables(tx);
  await tx.exec(`truncate supabase_migrations.schema_migrations, supabase_migrations.keel_migrations, supabase_migrations.seed_files`);
  await clearDeclarativeRecords(tx);
}
