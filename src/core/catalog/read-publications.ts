/**
 * Logical replication publications (Supabase Realtime's `supabase_realtime`, and any the project makes). A
 * publication is database-wide; its member tables and `tables in schema` entries are read for the schemas asked for.
 */
import type { Queryable } from '../../db/engine.js';
import type { Publication } from './model.js';
import { sortBy, type CatalogQuery } from './shared.js';

interface PublicationRow {
  name: string;
  allTables: boolean;
  insert: boolean;
  update: boolean;
  delete: boolean;
  truncate: boolean;
  viaRoot: boolean;
  comment: string | null;
  tables: [string, string, string[] | null, string | null][] | null;
  schemas: string[] | null;
}

/** Column lists, row filters and `tables in schema` arrived in PostgreSQL 15. */
function publicationsSql(v15: boolean): string {
  const columns = v15
    ? `case when pr.prattrs is null then null else
         (select json_agg(a.attname::text order by k.i) from unnest(pr.prattrs::int2[]) with ordinality k(attnum, i)
            join pg_attribute a on a.attrelid = pr.prrelid and a.attnum = k.attnum) end`
    : 'null';
  const where = v15 ? 'pg_get_expr(pr.prqual, pr.prrelid)' : 'null';
  const schemas = v15
    ? `(select json_agg(n.nspname::text) from pg_publication_namespace pn join pg_namespace n on n.oid = pn.pnnspid
         where pn.pnpubid = p.oid and n.nspname = any($1::text[]))`
    : 'null';
  return `
select p.pubname::text as name, p.puballtables as "allTables", p.pubinsert as insert, p.pubupdate as update,
       p.pubdelete as delete, p.pubtruncate as truncate, p.pubviaroot as "viaRoot",
       obj_description(p.oid, 'pg_publication') as comment,
       (select json_agg(json_build_array(n.nspname::text, c.relname::text, ${columns}, ${where}))
          from pg_publication_rel pr join pg_class c on c.oid = pr.prrelid join pg_namespace n on n.oid = c.relnamespace
         where pr.prpubid = p.oid and n.nspname = any($1::text[])) as tables,
       ${schemas} as schemas
  from pg_publication p`;
}

/**
 * Every publication, sorted by name; its tables sorted by schema and name.
 *
 * @example
 * (await readPublications(db, q)).find((p) => p.name === 'supabase_realtime')?.tables;
 * // [{ schema: 'public', table: 'messages', columns: null, where: null }]
 */
export async function readPublications(db: Queryable, q: CatalogQuery): Promise<Publication[]> {
  const { rows } = await db.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
  const found = await q<PublicationRow>(publicationsSql((rows[0]?.v ?? 0) >= 150000));
  const publications = found.map((r): Publication => ({
    name: r.name,
    allTables: r.allTables,
    publish: (['insert', 'update', 'delete', 'truncate'] as const).filter((op) => r[op]),
    viaRoot: r.viaRoot,
    tables: sortBy(
      (r.tables ?? []).map(([schema, table, columns, where]) => ({ schema, table, columns, where })),
      (t) => t.schema,
      (t) => t.table,
    ),
    schemas: [...(r.schemas ?? [])].sort(),
    comment: r.comment,
  }));
  return sortBy(publications, (p) => p.name);
}
