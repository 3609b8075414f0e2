/**
 * What the SQL-reading rules share: which schemas to skip, how to name a function, how to find the tables a query
 * names, and a function's search_path.
 */
import type { Catalog, Routine } from '../../../core/catalog/index.js';
import { PROTECTED_SCHEMAS } from '../../migrate/reset.js';
import type { Relation, ResolveRelation } from './shadow.js';

/** The shim's and Supabase's own schemas (auth, extensions, storage, …) and Keel's `keel`: not the project's code. */
export function isProjectSchema(schema: string): boolean {
  return !PROTECTED_SCHEMAS.includes(schema) && !schema.startsWith('pg_');
}

/** `public.is_team_member(uuid)`: the function with its identity argument types, as findings name functions. */
export function functionObject(fn: Routine): string {
  const types = fn.arguments.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic').map((a) => a.type);
  return `${fn.schema}.${fn.name}(${types.join(', ')})`;
}

/** `public.is_team_member(team_id uuid)`: the signature as written, for messages. */
export function functionSignature(fn: Routine): string {
  return `${fn.schema}.${fn.name}(${fn.identityArgs})`;
}

/** The function's own `SET search_path` as a list (`''` → `['']`), or null when it has none. */
export function configuredSearchPath(fn: Routine): string[] | null {
  let value: string | null = null;
  for (const c of fn.config) {
    const eq = c.indexOf('=');
    if (eq > 0 && c.slice(0, eq).toLowerCase() === 'search_path') value = c.slice(eq + 1);
  }
  if (value === null) return null;
  return value.split(',').map((s) => {
    const t = s.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
  });
}

/**
 * Finds tables, views and materialized views by the name a query uses. An unqualified name is looked up along
 * `searchPath` (`$user` and empty entries skipped), else in `public`, where the default search path finds it.
 */
export function relationResolver(catalog: Catalog, searchPath: string[] | null): ResolveRelation {
  const byName = new Map<string, Relation & { rlsEnabled: boolean }>();
  for (const t of catalog.tables)
    byName.set(`${t.schema}.${t.name}`, { name: `${t.schema}.${t.name}`, columns: t.columns.map((c) => c.name), rlsEnabled: t.rlsEnabled });
  for (const v of [...catalog.views, ...catalog.materializedViews]) {
    byName.set(`${v.schema}.${v.name}`, { name: `${v.schema}.${v.name}`, columns: v.columns.map((c) => c.name), rlsEnabled: false });
  }
  const path = (searchPath ?? ['public']).filter((s) => s !== '' && s !== '$user');
  return (schema, name) => {
    if (schema !== null) return byName.get(`${schema}.${name}`);
    for (const s of path) {
      const r = byName.get(`${s}.${name}`);
      if (r) return r;
    }
    return undefined;
  };
}

/** `a`, `b` and `c` → `a, b and c`. */
export function listWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
