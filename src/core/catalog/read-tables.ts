/**
 * Tables (ordinary and partitioned) with their columns, constraints, indexes and grants.
 */
import type { Column, Constraint, Grant, Index, Table } from './model.js';
import { notExtensionMember, qualifiedKey, sortBy, type CatalogQuery } from './shared.js';

interface TableRow {
  schema: string;
  name: string;
  kind: Table['kind'];
  rls_enabled: boolean;
  rls_forced: boolean;
  unlogged: boolean;
  partition_key: string | null;
  partition_of: { schema: string; table: string; bound: string } | null;
  comment: string | null;
}

/** What the other readers already fetched, keyed by `qualifiedKey(schema, name)`. */
export interface TableParts {
  columns: Map<string, Column[]>;
  constraints: Map<string, Constraint[]>;
  indexes: Map<string, Index[]>;
  grants: Map<string, Grant[]>;
}

// Foreign tables ('f') are left out: their data lives elsewhere and they take options no other reader models yet.
const TABLES_SQL = `
select n.nspname::text as schema, c.relname::text as name,
       case c.relkind when 'p' then 'partitioned' else 'table' end as kind,
       c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
       c.relpersistence = 'u' as unlogged,
       case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_key,
       case when c.relispartition then (
         select json_build_object('schema', pn.nspname::text, 'table', pc.relname::text,
                                  'bound', pg_get_expr(c.relpartbound, c.oid))
           from pg_inherits inh
           join pg_class pc on pc.oid = inh.inhparent
           join pg_namespace pn on pn.oid = pc.relnamespace
          where inh.inhrelid = c.oid
          limit 1) end as partition_of,
       obj_description(c.oid, 'pg_class') as comment
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p')
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/**
 * Tables sorted by schema and name, each with the parts the other readers fetched.
 *
 * @example
 * const tables = await readTables(q, { columns, constraints, indexes, grants });
 */
export async function readTables(q: CatalogQuery, parts: TableParts): Promise<Table[]> {
  const rows = await q<TableRow>(TABLES_SQL);
  const tables = rows.map((r): Table => {
    const key = qualifiedKey(r.schema, r.name);
    return {
      schema: r.schema,
      name: r.name,
      kind: r.kind,
      rlsEnabled: r.rls_enabled,
      rlsForced: r.rls_forced,
      unlogged: r.unlogged,
      partitionKey: r.partition_key,
      partitionOf: r.partition_of,
      comment: r.comment,
      columns: parts.columns.get(key) ?? [],
      constraints: parts.constraints.get(key) ?? [],
      indexes: parts.indexes.get(key) ?? [],
      grants: parts.grants.get(key) ?? [],
    };
  });
  return sortBy(
    tables,
    (t) => t.schema,
    (t) => t.name,
  );
}
