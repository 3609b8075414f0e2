/**
 * Schema privileges (`pg_namespace.nspacl`), which Keel's catalog model does not carry. A restore does not create
 * `public` (every database has it, with the platform's grants: `=U` for PUBLIC from PG 15, `=UC` before, plus the
 * shim's), and `create schema if not exists` leaves any other schema the target already has as it is, so the backup
 * records each of its schemas' ACL and the restore makes the target's equal to it: every grantee but the owner is
 * revoked, then the source's grants are made. The owner's own privileges are written owner-independently (the
 * source's `public` may belong to `pg_database_owner`, the target's to `postgres` after `--clean`): only what the
 * source's owner lacked is revoked from whoever owns the schema on the target.
 */
import type { Grant } from '../../core/catalog/index.js';
import type { Queryable } from '../../db/engine.js';
import { quoteIdent, quoteLiteral } from './quote.js';

export interface SchemaPrivileges {
  schema: string;
  /** Privileges the owner holds (USAGE, CREATE unless revoked). */
  owner: string[];
  /** Everyone else's, PUBLIC included, in code-point order. */
  grants: Grant[];
}

/** What a schema's owner holds by default. */
const OWNER_DEFAULT = ['CREATE', 'USAGE'];

/**
 * The ACLs of `schemas` (a NULL ACL read as the defaults it stands for).
 *
 * @example
 * await readSchemaPrivileges(tx, ['public']);
 * // [{ schema: 'public', owner: ['CREATE', 'USAGE'], grants: [{ grantee: 'anon', privilege: 'USAGE', grantable: false }, …] }]
 */
export async function readSchemaPrivileges(db: Queryable, schemas: string[]): Promise<SchemaPrivileges[]> {
  if (schemas.length === 0) return [];
  const { rows } = await db.query<{ schema: string; acl: [string, string, boolean, boolean][] | null }>(
    `select n.nspname::text as schema,
            (select json_agg(json_build_array(
                      case when a.grantee = 0 then 'PUBLIC' else pg_get_userbyid(a.grantee)::text end,
                      a.privilege_type::text, a.is_grantable, a.grantee = n.nspowner))
               from aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a) as acl
       from pg_namespace n
      where n.nspname = any($1::text[])
      order by 1`,
    [schemas],
  );
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.map((r) => {
    const acl = r.acl ?? [];
    const owner = [...new Set(acl.filter((a) => a[3]).map((a) => a[1]))].sort(order);
    const seen = new Set<string>();
    const grants: Grant[] = [];
    for (const [grantee, privilege, _grantable, isOwner] of acl) {
      const key = `${grantee}\u0000${privilege}`;
      if (isOwner || seen.has(key)) continue; // one entry per grantee and privilege, whoever granted it
      seen.add(key);
      grants.push({ grantee, privilege, grantable: acl.some((a) => a[0] === grantee && a[1] === privilege && a[2]) });
    }
    grants.sort((a, b) => order(a.grantee, b.grantee) || order(a.privilege, b.privilege));
    return { schema: r.schema, owner, grants };
  });
}

const roleName = (role: string) => (role === 'PUBLIC' ? 'public' : quoteIdent(role));

/**
 * Statements that make a schema's ACL on the target equal to `p`, whatever the target had: a DO block revokes every
 * grantee's privileges but the owner's (with CASCADE, so grants they passed on go too), the owner loses what the
 * source's owner lacked, then the source's grants are made, grouped by grantee.
 *
 * @example
 * renderSchemaPrivileges({ schema: 'public', owner: ['CREATE', 'USAGE'], grants: [] });
 * // revokes PUBLIC's (and everyone else's) usage and create on schema public
 */
export function renderSchemaPrivileges(p: SchemaPrivileges): string[] {
  const lit = quoteLiteral(p.schema);
  const lines = [
    `do $keel$
declare r record;
begin
  for r in select distinct case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end as who
             from pg_namespace n cross join lateral aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
            where n.nspname = ${lit} and a.grantee <> n.nspowner
  loop
    execute format('revoke all on schema %I from %s cascade', ${lit}, r.who);
  end loop;
end $keel$;`,
  ];
  const lacking = OWNER_DEFAULT.filter((x) => !p.owner.includes(x));
  if (lacking.length) {
    lines.push(
      `do $keel$ begin execute format('revoke ${lacking.join(', ').toLowerCase()} on schema %I from %s', ${lit}, (select nspowner::regrole::text from pg_namespace where nspname = ${lit})); end $keel$;`,
    );
  }
  const groups = new Map<string, string[]>();
  for (const g of p.grants) {
    const key = `${g.grantee}\u0000${g.grantable ? '1' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), g.privilege.toLowerCase()]);
  }
  for (const [key, privileges] of groups) {
    const [grantee = '', grantable] = key.split('\u0000');
    lines.push(
      `grant ${privileges.join(', ')} on schema ${quoteIdent(p.schema)} to ${roleName(grantee)}${grantable ? ' with grant option' : ''};`,
    );
  }
  return lines;
}
