/**
 * Privileges on relations and routines, expanded from their ACLs.
 */
import type { Grant } from './model.js';
import { aclJson, grantsFromJson, notExtensionMember, qualifiedKey, type CatalogQuery } from './shared.js';

interface GrantRow {
  schema: string;
  name: string;
  grants: [string, string, boolean][] | null;
}

// Sequences have their own default ACL kind ('s'); tables, views and materialized views share 'r'.
const RELATION_GRANTS_SQL = `
select n.nspname::text as schema, c.relname::text as name,
       ${aclJson('c.relacl', `case when c.relkind = 'S' then 's' else 'r' end`, 'c.relowner')} as grants
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/**
 * Grants on tables, views and sequences by `qualifiedKey(schema, name)`.
 *
 * @example
 * (await readRelationGrants(q)).get(qualifiedKey('public', 'tasks'));
 */
export async function readRelationGrants(q: CatalogQuery): Promise<Map<string, Grant[]>> {
  const rows = await q<GrantRow>(RELATION_GRANTS_SQL);
  return new Map(rows.map((r) => [qualifiedKey(r.schema, r.name), grantsFromJson(r.grants)]));
}

const ROUTINE_GRANTS_SQL = `
select n.nspname::text as schema, p.proname::text as name, pg_get_function_identity_arguments(p.oid) as args,
       ${aclJson('p.proacl', `'f'`, 'p.proowner')} as grants
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
 where n.nspname = any($1::text[])
   and ${notExtensionMember('pg_proc', 'p.oid')}`;

/**
 * Key of a routine: overloads differ by their identity arguments.
 *
 * @example
 * routineKey('public', 'task_count', 'p_project bigint');
 */
export function routineKey(schema: string, name: string, identityArgs: string): string {
  return `${qualifiedKey(schema, name)}(${identityArgs})`;
}

/**
 * Grants on functions and procedures by `routineKey(schema, name, identityArgs)`.
 *
 * @example
 * (await readRoutineGrants(q)).get(routineKey('public', 'task_count', 'p_project bigint'));
 */
export async function readRoutineGrants(q: CatalogQuery): Promise<Map<string, Grant[]>> {
  const rows = await q<GrantRow & { args: string }>(ROUTINE_GRANTS_SQL);
  return new Map(rows.map((r) => [routineKey(r.schema, r.name, r.args), grantsFromJson(r.grants)]));
}
