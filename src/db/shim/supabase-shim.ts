import { createHash } from 'node:crypto';
import type { Queryable } from '../engine.js';
import { KEEL_LOCK_KEY } from '../locks.js';
import { AUTH_SQL } from './auth.js';
import { GRAPHQL_SQL } from './graphql.js';
import { SHIM_COMMENT, SHIM_MARKER } from './marker.js';
import { OWNERS_SQL } from './owners.js';
import { REALTIME_SQL } from './realtime.js';
import { ROLES_SQL } from './roles.js';
import { STORAGE_SQL } from './storage.js';
import { VAULT_SQL } from './vault.js';
import { WEBHOOKS_SQL } from './webhooks.js';

export { SHIM_MARKER, SHIM_VERSION } from './marker.js';
export { clearShimData, SHIM_DATA_TABLES } from './clear.js';

/**
 * The Supabase platform surface that migrations, seeds and tests of Supabase projects rely on, for databases that are
 * not Supabase, one file per area: the platform's roles (roles.ts), auth (auth.ts), storage (storage.ts), realtime
 * (realtime.ts), database webhooks (webhooks.ts), vault and pgsodium (vault.ts), graphql_public (graphql.ts), the
 * `extensions` schema with uuid-ossp and pgcrypto, default privileges in `public`, and ownership as on the platform
 * (owners.ts). Every statement is idempotent; on a real Supabase database nothing is installed. It mirrors supabase/auth
 * v2.196.0, supabase/storage v1.70.6, supabase/realtime v2.129, supabase_vault 0.3.1 and supabase/postgres' roles.
 */

/**
 * The areas' SQL for this server: `{postgres}` becomes `postgres, ` where the server has that role (the platform grants
 * to it everywhere) and nothing elsewhere; lines starting `{ifpg}` are kept only where it exists.
 */
function areaSql(hasPostgres: boolean): string {
  const sql = [STORAGE_SQL, REALTIME_SQL, WEBHOOKS_SQL, VAULT_SQL, GRAPHQL_SQL, AUTH_SQL, OWNERS_SQL].join('\n');
  return sql
    .split('\n')
    .filter((line) => hasPostgres || !line.startsWith('{ifpg}'))
    .map((line) => line.replace(/^\{ifpg\}/, '').replaceAll('{postgres}', hasPostgres ? 'postgres, ' : ''))
    .join('\n');
}

/** Default privileges in `public`: re-applied after every reset, since dropping the schema drops them. */
export const PUBLIC_GRANTS = `
create schema if not exists public;
grant usage on schema public to anon, authenticated, service_role;
grant all on schema public to service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;`;

/** The `extensions` schema and the extensions migrations call unqualified (`uuid_generate_v4()`, `gen_random_bytes()`). */
const EXTENSIONS = `
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;`;

/** A short hash of everything the shim installs: what a cached copy of an installed shim is keyed by. */
export function shimFingerprint(): string {
  const all = [SHIM_COMMENT, ROLES_SQL, EXTENSIONS, areaSql(true), areaSql(false), PUBLIC_GRANTS].join('\n');
  return createHash('sha256').update(all).digest('hex').slice(0, 12);
}

export interface ShimStatus {
  /** 'supabase': the real thing, nothing installed; 'installed': Keel installed (or refreshed) the shim. */
  mode: 'supabase' | 'installed';
}

/** True when the database already has Supabase's own auth schema (not Keel's shim). */
export async function isRealSupabase(db: Queryable): Promise<boolean> {
  return (await shimState(db)) === 'supabase';
}

/** 'supabase' (the real auth schema), 'current' (Keel's shim at this version), or 'absent' (none, or an older shim). */
async function shimState(db: Queryable): Promise<'supabase' | 'current' | 'absent'> {
  const { rows } = await db.query<{ comment: string | null; uid: boolean }>(
    `select obj_description(n.oid, 'pg_namespace') as comment, to_regprocedure('auth.uid()') is not null as uid
       from pg_namespace n where n.nspname = 'auth'`,
  );
  const row = rows[0];
  if (!row) return 'absent';
  if (row.comment?.startsWith(SHIM_MARKER)) return row.comment === SHIM_COMMENT ? 'current' : 'absent';
  return row.uid ? 'supabase' : 'absent';
}

/**
 * Installs the shim (idempotent). Call inside a transaction. Sets the database's search_path so new sessions see
 * `extensions`, and the current transaction's too, since a pooler may hand the next transaction another session.
 *
 * @example
 * await engine.transaction((tx) => installShim(tx));
 */
export async function installShim(db: Queryable): Promise<ShimStatus> {
  // Serialise with other Keel processes installing it at the same moment (same key as the migration lock).
  await db.query('select pg_advisory_xact_lock($1)', [KEEL_LOCK_KEY]);
  const state = await shimState(db);
  if (state === 'supabase') {
    // Nothing of the shim, but a reset dropped `public`: give it back with Supabase's grants.
    await db.exec(PUBLIC_GRANTS);
    return { mode: 'supabase' };
  }
  if (state === 'absent') {
    await db.exec(ROLES_SQL);
    const { rows } = await db.query<{ pg: boolean }>(`select exists (select from pg_roles where rolname = 'postgres') as pg`);
    // schema auth last: its comment marks the shim current (all of it runs in the caller's transaction anyway)
    await db.exec(`${EXTENSIONS}\n${areaSql(rows[0]?.pg ?? false)}`);
  }
  // Always: a reset dropped `public` and with it these grants and default privileges.
  await db.exec(PUBLIC_GRANTS);
  // ALTER DATABASE rewrites a shared catalog (about 0.1 s on PGlite): only when the setting is not there yet.
  await db.exec(`do $keel$ begin
    if not exists (select 1 from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
                    where d.datname = current_database() and s.setrole = 0
                      and 'search_path="$user", public, extensions' = any(s.setconfig)) then
      execute format('alter database %I set search_path = "$user", public, extensions', current_database());
    end if;
  end $keel$;
  set local search_path = "$user", public, extensions;`);
  return { mode: 'installed' };
}
