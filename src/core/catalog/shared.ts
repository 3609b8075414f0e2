/**
 * Pieces every catalog reader uses: the extension-member filter, the ACL expansion and deterministic sorting.
 */
import type { Queryable } from '../../db/engine.js';
import type { Grant } from './model.js';

/** Runs one catalog query; `$1` is always the text[] of schemas being read. */
export type CatalogQuery = <T>(sql: string) => Promise<T[]>;

/**
 * Every reader's rows come back as one JSON array, for two reasons. Shapes: JSON has one spelling on every driver,
 * whereas arrays of name, oid or "char" and the like come back differently from pg and PGlite. Speed: PGlite pays
 * per row in JavaScript (decode, then copy across the worker boundary), and a project's columns, constraints and
 * indexes are hundreds of rows; one JSON value parses natively. Readers still alias every column and cast to
 * text/boolean/int, so the JSON types are the ones the model promises.
 *
 * @example
 * const q = catalogQuery(tx, ['public']);
 * const rows = await q<{ name: string }>('select n.nspname::text as name from pg_namespace n where n.nspname = any($1::text[])');
 */
export function catalogQuery(db: Queryable, schemas: string[]): CatalogQuery {
  return async <T>(sql: string) => {
    const { rows } = await db.query<{ rows: T[] | string }>(`select coalesce(json_agg(r), '[]'::json) as rows from (${sql}) r`, [schemas]);
    const out = rows[0]?.rows ?? [];
    // Both drivers parse json; a driver configured not to would hand back the text.
    return typeof out === 'string' ? (JSON.parse(out) as T[]) : out;
  };
}

/**
 * SQL condition: the object is not a member of an extension. Extension objects (pgcrypto's functions in
 * `extensions`, say) are the extension's, not the project's: CREATE EXTENSION makes them again.
 *
 * @example
 * `select p.proname from pg_proc p where ${notExtensionMember('pg_proc', 'p.oid')}`
 */
export function notExtensionMember(catalog: 'pg_class' | 'pg_proc' | 'pg_type' | 'pg_namespace', oid: string): string {
  return `not exists (select 1 from pg_depend ext_d where ext_d.classid = '${catalog}'::regclass and ext_d.objid = ${oid} and ext_d.deptype = 'e')`;
}

/**
 * SQL expression: an ACL as a JSON array of `[grantee, privilege, grantable]`, one per privilege. A NULL acl means
 * "the defaults", which acldefault spells out, so an untouched object and one granted the same thing explicitly read
 * the same. One JSON value per object rather than one row per privilege: a project has thousands of privileges, and
 * every row costs more than its JSON on PGlite.
 *
 * @example
 * `select c.relname::text as name, ${aclJson('c.relacl', `'r'`, 'c.relowner')} as grants from pg_class c`
 */
export function aclJson(acl: string, kind: string, owner: string): string {
  return `(select json_agg(json_build_array(
             case when a.grantee = 0 then 'PUBLIC' else pg_get_userbyid(a.grantee)::text end,
             a.privilege_type::text, a.is_grantable))
     from aclexplode(coalesce(${acl}, acldefault(${kind}::"char", ${owner}))) a)`;
}

/**
 * Parses what {@link aclJson} built, sorted.
 *
 * @example
 * grantsFromJson([['anon', 'SELECT', false]]) // [{ grantee: 'anon', privilege: 'SELECT', grantable: false }]
 */
export function grantsFromJson(json: [string, string, boolean][] | null): Grant[] {
  return sortGrants((json ?? []).map(([grantee, privilege, grantable]) => ({ grantee, privilege, grantable })));
}

/**
 * Code-point order, independent of the database collation and of the JS locale.
 *
 * @example
 * ['b', 'B', 'a'].sort(compareText) // ['B', 'a', 'b']
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts in place by the given keys, compared in order (strings by code point, numbers numerically, null first).
 *
 * @example
 * sortBy(tables, (t) => t.schema, (t) => t.name);
 */
export function sortBy<T>(items: T[], ...keys: ((item: T) => string | number | null)[]): T[] {
  return items.sort((x, y) => {
    for (const key of keys) {
      const a = key(x);
      const b = key(y);
      if (a === b) continue;
      if (a === null) return -1;
      if (b === null) return 1;
      const c = typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b));
      if (c !== 0) return c;
    }
    return 0;
  });
}

/**
 * Grants by grantee, then privilege.
 *
 * @example
 * sortGrants(grants).map((g) => `${g.grantee}:${g.privilege}`);
 */
export function sortGrants(grants: Grant[]): Grant[] {
  return sortBy(
    grants,
    (g) => g.grantee,
    (g) => g.privilege,
    (g) => String(g.grantable),
  );
}

/**
 * Groups rows by a key, keeping their order.
 *
 * @example
 * groupBy(rows, (r) => qualifiedKey(r.schema, r.table)).get(qualifiedKey('public', 'tasks'));
 */
export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/**
 * Key of a relation or type: schema and name, joined by NUL, which no identifier can contain.
 *
 * @example
 * columns.get(qualifiedKey('public', 'tasks'));
 */
export function qualifiedKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

/**
 * Postgres's parse_bool for reloption values, which are stored as written (`on`, `1`, `true`, `yes`, …).
 *
 * @example
 * parsePgBool('on') // true
 */
export function parsePgBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on' || v === '1') return true;
  if (v.length > 0 && ('true'.startsWith(v) || 'yes'.startsWith(v))) return true;
  return false;
}
