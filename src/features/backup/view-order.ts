/**
 * Dependency order of views and materialized views, from the relations their definitions read.
 */
import { parseSql } from '../../core/sql/parser.js';

/** A view or materialized view to order: its key is `schema.name` (unquoted). */
export interface OrderableView {
  schema: string;
  name: string;
  definition: string;
}

/**
 * The views sorted so that every view comes after the views it reads (depth-first, keeping the input order among
 * independent views). Needs the SQL parser: `await ensureParser()` first. A definition that does not parse keeps its
 * place; a cycle (which Postgres cannot create) is broken where it is found.
 *
 * @example
 * await ensureParser();
 * orderViews([{ schema: 'public', name: 'b', definition: ' SELECT x FROM public.a' }, { schema: 'public', name: 'a', definition: ' SELECT 1 AS x' }]);
 * // a, then b
 */
export function orderViews<T extends OrderableView>(views: T[]): T[] {
  const byKey = new Map(views.map((v) => [`${v.schema}.${v.name}`, v]));
  const out: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (v: T) => {
    const key = `${v.schema}.${v.name}`;
    if (state.has(key)) return;
    state.set(key, 'visiting');
    for (const dep of readsRelations(v.definition)) {
      const target = byKey.get(dep);
      if (target && target !== v) visit(target);
    }
    state.set(key, 'done');
    out.push(v);
  };
  for (const v of views) visit(v);
  return out;
}

/**
 * `schema.name` of every relation a SELECT names (RangeVar nodes). The catalog deparses with an empty search_path,
 * so names outside pg_catalog are schema-qualified; an unqualified name (a CTE, say) is left out.
 *
 * @example
 * readsRelations('SELECT a.x FROM public.a'); // ['public.a']
 */
export function readsRelations(select: string): string[] {
  let tree: unknown;
  try {
    tree = parseSql(select);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    const rv = obj.RangeVar as { schemaname?: string; relname?: string } | undefined;
    if (rv?.schemaname && rv.relname) found.add(`${rv.schemaname}.${rv.relname}`);
    for (const value of Object.values(obj)) walk(value);
  };
  walk(tree);
  return [...found];
}
