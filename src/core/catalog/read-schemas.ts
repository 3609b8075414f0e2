/**
 * Schemas and extensions.
 */
import type { Queryable } from '../../db/engine.js';
import type { Extension, Schema } from './model.js';
import { notExtensionMember, sortBy } from './shared.js';

/**
 * The schemas to read: the named ones that exist, or every user schema. `pg_toast`, `pg_temp_*` and the like all
 * start with `pg_`; schemas an extension created belong to it and come back with it.
 *
 * @example
 * (await readSchemas(tx)).map((s) => s.name) // ['auth', 'extensions', 'public']
 */
export async function readSchemas(db: Queryable, only?: string[]): Promise<Schema[]> {
  const filter = only
    ? `n.nspname = any($1::text[])`
    : `n.nspname !~ '^pg_' and n.nspname <> 'information_schema' and ${notExtensionMember('pg_namespace', 'n.oid')}`;
  const { rows } = await db.query<Schema>(
    `select n.nspname::text as name, obj_description(n.oid, 'pg_namespace') as comment
       from pg_namespace n
      where ${filter}`,
    only ? [only] : [],
  );
  return sortBy(rows, (s) => s.name);
}

/**
 * Extensions are database-wide, so all are listed whatever schemas were asked for.
 *
 * @example
 * await readExtensions(tx) // [{ name: 'pgcrypto', schema: 'extensions', version: '1.3' }, …]
 */
export async function readExtensions(db: Queryable): Promise<Extension[]> {
  const { rows } = await db.query<Extension>(
    `select e.extname::text as name, n.nspname::text as schema, e.extversion::text as version
       from pg_extension e join pg_namespace n on n.oid = e.extnamespace`,
  );
  return sortBy(rows, (e) => e.name);
}
