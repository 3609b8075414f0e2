/**
 * Privileges on relations and routines, expanded from their ACLs.
 */
import type { Grant } from './model.js';
import { aclRows, GRANT_COLUMNS, groupBy, notExtensionMember, qualifiedKey, sortGrants, type CatalogQuery } from './shared.js';

interface GrantRow extends Grant {
  schema: string;
  name: string;
}

// Sequences have their own default ACL kind ('s'); tables, views and materialized views share 'r'.
const RELATION_GRANTS_SQL = `
select n.nspname::text as schema, c.relname::text as name, ${GRANT_COLUMNS}
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace,
  ${aclRows('c.relacl', `case when c.relkind = 'S' then 's' else 'r' end`, 'c.relowner')}
 where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/** Grants on tables, views and sequences by `qualifiedKey(schema, name)`. */
export async function readRelationGrants(q: CatalogQuery): Promise<Map<string, Grant[]>> {
  return collect(await q<GrantRow>(RELATION_GRANTS_SQL), (r) => qualifiedKey(r.schema, r.name));
}

const ROUTINE_GRANTS_SQL = `
select n.nspname::text as schema, p.proname::text as name, pg_get_function_identity_arguments(p.oid) as args, ${GRANT_COLUMNS}
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace,
  ${aclRows('p.proacl', `'f'`, 'p.proowner')}
 where n.nspname = any($1::text[])
   and ${notExtensionMember('pg_proc', 'p.oid')}`;

/** Key of a routine: overloads differ by their identity arguments. */
export function routineKey(schema: string, name: string, identityArgs: string): string {
  return `${qualifiedKey(schema, name)}(${identityArgs})`;
}

/** Grants on functions and procedures by `routineKey(schema, name, identityArgs)`. */
export async function readRoutineGrants(q: CatalogQuery): Promise<Map<string, Grant[]>> {
  const rows = await q<GrantRow & { args: string }>(ROUTINE_GRANTS_SQL);
  return collect(rows, (r) => routineKey(r.schema, r.name, r.args));
}

function collect<T extends Grant>(rows: T[], key: (row: T) => string): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const [k, list] of groupBy(rows, key)) {
    out.set(k, sortGrants(list.map((r) => ({ grantee: r.grantee, privilege: r.privilege, grantable: r.grantable }))));
  }
  return out;
}
