/**
 * Columns of every relation read (tables, views, materialized views, composite types) in one query, keyed by
 * relation, so each reader picks its own without another round trip.
 */
import type { Column } from './model.js';
import { groupBy, notExtensionMember, qualifiedKey, type CatalogQuery } from './shared.js';

interface ColumnRow {
  schema: string;
  relation: string;
  name: string;
  ordinal: number;
  type: string;
  nullable: boolean;
  default: string | null;
  identity: 'a' | 'd' | null;
  generated: string | null;
  generated_kind: 'stored' | 'virtual' | null;
  collation: string | null;
  comment: string | null;
}

// attidentity/attgenerated are "char" with '\0' for "none": compare with CASE rather than casting, which on some
// drivers turns '\0' into an odd one-character string.
// The ordinal is counted over live columns, so a dropped column does not make two equivalent tables differ.
// attnotnull stays authoritative on PG 18 too, where NOT NULL also became a pg_constraint row.
const COLUMNS_SQL = `
select n.nspname::text as schema, c.relname::text as relation, a.attname::text as name,
       row_number() over (partition by a.attrelid order by a.attnum)::int as ordinal,
       format_type(a.atttypid, a.atttypmod) as type,
       not a.attnotnull as nullable,
       case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default,
       case a.attidentity when 'a' then 'a' when 'd' then 'd' end as identity,
       case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end as generated,
       case a.attgenerated when 's' then 'stored' when 'v' then 'virtual' end as generated_kind,
       case when a.attcollation <> t.typcollation and a.attcollation <> 0 then a.attcollation::regcollation::text end as collation,
       col_description(c.oid, a.attnum) as comment
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_type t on t.oid = a.atttypid
  left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
 where a.attnum > 0 and not a.attisdropped
   and c.relkind in ('r', 'p', 'v', 'm', 'c', 'f')
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/**
 * Columns by `qualifiedKey(schema, relation)`, in ordinal order.
 *
 * @example
 * (await readColumns(q)).get(qualifiedKey('public', 'tasks'))?.map((c) => c.name);
 */
export async function readColumns(q: CatalogQuery): Promise<Map<string, Column[]>> {
  const rows = await q<ColumnRow>(COLUMNS_SQL);
  rows.sort((x, y) => x.ordinal - y.ordinal);
  const grouped = groupBy(rows, (r) => qualifiedKey(r.schema, r.relation));
  const out = new Map<string, Column[]>();
  for (const [key, list] of grouped) {
    out.set(
      key,
      list.map((r) => ({
        name: r.name,
        ordinal: r.ordinal,
        type: r.type,
        nullable: r.nullable,
        default: r.default,
        identity: r.identity,
        generated: r.generated,
        generatedKind: r.generated_kind,
        collation: r.collation,
        comment: r.comment,
      })),
    );
  }
  return out;
}
