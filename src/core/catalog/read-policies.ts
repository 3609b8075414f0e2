/**
 * Row-level security policies.
 */
import type { Policy } from './model.js';
import { compareText, notExtensionMember, sortBy, type CatalogQuery } from './shared.js';

interface PolicyRow extends Omit<Policy, 'command' | 'withCheck'> {
  cmd: string;
  with_check: string | null;
}

// pg_policy rather than the pg_policies view: the view's roles column is name[], which the two drivers return in
// different shapes, and it spells "everyone" as lowercase public; role 0 here becomes PUBLIC, as in grants.
const POLICIES_SQL = `
select n.nspname::text as schema, c.relname::text as table, pol.polname::text as name,
       pol.polcmd::text as cmd, pol.polpermissive as permissive,
       coalesce((select array_agg(case when r.oid = 0 then 'PUBLIC' else pg_get_userbyid(r.oid)::text end)
                   from unnest(pol.polroles) r(oid)), '{}'::text[]) as roles,
       pg_get_expr(pol.polqual, pol.polrelid) as using,
       pg_get_expr(pol.polwithcheck, pol.polrelid) as with_check,
       obj_description(pol.oid, 'pg_policy') as comment
  from pg_policy pol
  join pg_class c on c.oid = pol.polrelid
  join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

const COMMANDS: Record<string, Policy['command']> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

/**
 * Policies sorted by schema, table and name.
 *
 * @example
 * (await readPolicies(q)).filter((p) => p.roles.includes('anon'));
 */
export async function readPolicies(q: CatalogQuery): Promise<Policy[]> {
  const rows = await q<PolicyRow>(POLICIES_SQL);
  const policies = rows.map((r): Policy => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    command: COMMANDS[r.cmd] ?? 'all',
    permissive: r.permissive,
    // `TO a, b` and `TO b, a` are the same policy.
    roles: [...r.roles].sort(compareText),
    using: r.using,
    withCheck: r.with_check,
    comment: r.comment,
  }));
  return sortBy(
    policies,
    (p) => p.schema,
    (p) => p.table,
    (p) => p.name,
  );
}
