import type { Queryable } from '../../db/engine.js';
import { clearShimData, SHIM_MARKER } from '../../db/shim/supabase-shim.js';
import { clearHistory } from './history.js';

/** Schemas that belong to Postgres, Supabase's services, the shim or Keel's history: never dropped by a reset. */
export const PROTECTED_SCHEMAS = [
  'information_schema',
  'extensions',
  'auth',
  'supabase_migrations',
  'storage',
  'realtime',
  '_realtime',
  'graphql',
  'graphql_public',
  'vault',
  'pgsodium',
  'pgsodium_masks',
  'net',
  'supabase_functions',
  'cron',
  'pgbouncer',
  '_analytics',
  'pgtle',
  'pgmq',
  'supabase_internal',
  'keel',
  // the Supabase test helpers (basejump's, or Keel's built-in ones that `keel test db` installs)
  'tests',
  'test_overrides',
  // schemas of extensions Supabase offers (splinter skips them too)
  '_timescaledb_cache',
  '_timescaledb_catalog',
  '_timescaledb_config',
  '_timescaledb_internal',
  'pgroonga',
  'repack',
  'tiger',
  'topology',
];

/** User schemas: not protected, not `pg_*`, not owned by an extension. */
export async function userSchemas(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ nspname: string }>(
    `select n.nspname from pg_namespace n
      where n.nspname not like 'pg\\_%' and n.nspname <> all($1::text[])
        and not exists (select 1 from pg_depend d where d.classid = 'pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')
      order by 1`,
    [PROTECTED_SCHEMAS],
  );
  return rows.map((r) => r.nspname);
}

/**
 * Empties the database of everything the project made: drops every user schema (cascade), empties the history and,
 * where Keel's shim owns `auth`, its users. Roles survive (they are cluster-wide; roles/ files are idempotent).
 *
 * @example
 * await engine.transaction((tx) => wipeDatabase(tx));
 */
export async function wipeDatabase(tx: Queryable): Promise<string[]> {
  const schemas = await userSchemas(tx);
  if (schemas.length > 0) await tx.exec(`drop schema ${schemas.map((s) => `"${s.replace(/"/g, '""')}"`).join(', ')} cascade`);
  await clearHistory(tx);
  const { rows } = await tx.query<{ shim: boolean }>(
    `select coalesce(obj_description(oid, 'pg_namespace'), '') like $1 || '%' as shim from pg_namespace where nspname = 'auth'`,
    [SHIM_MARKER],
  );
  if (rows[0]?.shim) await clearShimData(tx);
  return schemas;
}
