/**
 * Views, materialized views and sequences.
 */
import type { Column, Grant, Index, MaterializedView, Sequence, View, ViewColumn } from './model.js';
import { compareText, notExtensionMember, parsePgBool, qualifiedKey, sortBy, type CatalogQuery } from './shared.js';

interface ViewRow {
  schema: string;
  name: string;
  kind: 'v' | 'm';
  definition: string;
  options: string[];
  comment: string | null;
}

// pg_get_viewdef without pretty-printing, as pg_dump does: the plain form is the one meant to be re-read by later
// server versions.
const VIEWS_SQL = `
select n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
       pg_get_viewdef(c.oid) as definition,
       coalesce(c.reloptions, '{}'::text[])::text[] as options,
       obj_description(c.oid, 'pg_class') as comment
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('v', 'm')
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/** What the other readers already fetched, keyed by `qualifiedKey(schema, name)`. */
export interface ViewParts {
  columns: Map<string, Column[]>;
  indexes: Map<string, Index[]>;
  grants: Map<string, Grant[]>;
}

/**
 * Views and materialized views, each sorted by schema and name.
 *
 * @example
 * const { views, materializedViews } = await readViews(q, { columns, indexes, grants });
 */
export async function readViews(q: CatalogQuery, parts: ViewParts): Promise<{ views: View[]; materializedViews: MaterializedView[] }> {
  const rows = await q<ViewRow>(VIEWS_SQL);
  const views: View[] = [];
  const materializedViews: MaterializedView[] = [];
  for (const r of rows) {
    const key = qualifiedKey(r.schema, r.name);
    const options = [...r.options].sort(compareText);
    const view: View = {
      schema: r.schema,
      name: r.name,
      definition: r.definition,
      securityInvoker: options.some((o) => o.startsWith('security_invoker=') && parsePgBool(o.slice('security_invoker='.length))),
      options,
      columns: (parts.columns.get(key) ?? []).map(viewColumn),
      comment: r.comment,
      grants: parts.grants.get(key) ?? [],
    };
    if (r.kind === 'm') materializedViews.push({ ...view, indexes: parts.indexes.get(key) ?? [] });
    else views.push(view);
  }
  return {
    views: sortBy(
      views,
      (v) => v.schema,
      (v) => v.name,
    ),
    materializedViews: sortBy(
      materializedViews,
      (v) => v.schema,
      (v) => v.name,
    ),
  };
}

function viewColumn(c: Column): ViewColumn {
  return { name: c.name, ordinal: c.ordinal, type: c.type, comment: c.comment };
}

interface SequenceRow extends Omit<Sequence, 'ownedBy' | 'grants'> {
  owned_by: Sequence['ownedBy'];
}

// The owning column comes from pg_depend: 'a' for serial / OWNED BY, 'i' for an identity column's sequence.
// last_value and is_called are state, not schema, and are never read.
const SEQUENCES_SQL = `
select n.nspname::text as schema, c.relname::text as name, format_type(s.seqtypid, null) as type,
       s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
       s.seqcache::text as cache, s.seqcycle as cycle,
       (select json_build_object('schema', tn.nspname::text, 'table', tc.relname::text, 'column', a.attname::text,
                                 'identity', d.deptype = 'i')
          from pg_depend d
          join pg_class tc on tc.oid = d.refobjid
          join pg_namespace tn on tn.oid = tc.relnamespace
          join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
         where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass
           and d.refobjsubid > 0 and d.deptype in ('a', 'i')
         limit 1) as owned_by,
       obj_description(c.oid, 'pg_class') as comment
  from pg_sequence s
  join pg_class c on c.oid = s.seqrelid
  join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

/**
 * Sequences sorted by schema and name, with the column that owns each.
 *
 * @example
 * (await readSequences(q, grants)).filter((s) => s.ownedBy === null); // free-standing sequences
 */
export async function readSequences(q: CatalogQuery, grants: Map<string, Grant[]>): Promise<Sequence[]> {
  const rows = await q<SequenceRow>(SEQUENCES_SQL);
  const sequences = rows.map((r): Sequence => ({
    schema: r.schema,
    name: r.name,
    type: r.type,
    start: r.start,
    increment: r.increment,
    min: r.min,
    max: r.max,
    cache: r.cache,
    cycle: r.cycle,
    ownedBy: r.owned_by,
    comment: r.comment,
    grants: grants.get(qualifiedKey(r.schema, r.name)) ?? [],
  }));
  return sortBy(
    sequences,
    (s) => s.schema,
    (s) => s.name,
  );
}
