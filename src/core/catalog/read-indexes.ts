/**
 * Indexes of tables and materialized views, keyed by relation.
 */
import type { Index } from './model.js';
import { groupBy, notExtensionMember, qualifiedKey, sortBy, type CatalogQuery } from './shared.js';

interface IndexRow {
  schema: string;
  relation: string;
  name: string;
  definition: string;
  method: string;
  columns: string[] | null;
  include: string[] | null;
  unique: boolean;
  primary: boolean;
  predicate: string | null;
  nulls_not_distinct: boolean;
  constraint: string | null;
  comment: string | null;
}

// pg_get_indexdef(oid, k, false) gives key k as a column name or a deparsed expression, which saves decoding
// indkey/indexprs. indnullsnotdistinct (PG 15+) is read through to_jsonb so an older server yields false instead of
// an error. Only the index's own constraint (p/u/x) is named: a foreign key also records the index it relies on.
const INDEXES_SQL = `
select n.nspname::text as schema, c.relname::text as relation, ic.relname::text as name,
       pg_get_indexdef(i.indexrelid) as definition, am.amname::text as method,
       (select array_agg(pg_get_indexdef(i.indexrelid, k, false) order by k)
          from generate_series(1, i.indnkeyatts::int) k) as columns,
       (select array_agg(pg_get_indexdef(i.indexrelid, k, false) order by k)
          from generate_series(i.indnkeyatts::int + 1, i.indnatts::int) k) as include,
       i.indisunique as unique, i.indisprimary as primary,
       pg_get_expr(i.indpred, i.indrelid) as predicate,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct,
       (select co.conname::text from pg_constraint co
         where co.conindid = i.indexrelid and co.conrelid = i.indrelid and co.contype in ('p', 'u', 'x')
         limit 1) as constraint,
       obj_description(i.indexrelid, 'pg_class') as comment
  from pg_index i
  join pg_class ic on ic.oid = i.indexrelid
  join pg_class c on c.oid = i.indrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_am am on am.oid = ic.relam
 where c.relkind in ('r', 'p', 'm')
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/**
 * Indexes by `qualifiedKey(schema, relation)`, sorted by name.
 *
 * @example
 * (await readIndexes(q)).get(qualifiedKey('public', 'tasks'))?.filter((i) => i.predicate !== null);
 */
export async function readIndexes(q: CatalogQuery): Promise<Map<string, Index[]>> {
  const rows = await q<IndexRow>(INDEXES_SQL);
  const out = new Map<string, Index[]>();
  for (const [key, list] of groupBy(rows, (r) => qualifiedKey(r.schema, r.relation))) {
    const indexes = list.map((r): Index => ({
      name: r.name,
      definition: r.definition,
      method: r.method,
      columns: r.columns ?? [],
      include: r.include ?? [],
      unique: r.unique,
      primary: r.primary,
      predicate: r.predicate,
      nullsNotDistinct: r.nulls_not_distinct,
      constraint: r.constraint,
      comment: r.comment,
    }));
    out.set(
      key,
      sortBy(indexes, (i) => i.name),
    );
  }
  return out;
}
