/**
 * Table constraints (primary key, unique, foreign key, check, exclusion), keyed by table.
 */
import type { Constraint, FkAction, ForeignKeyTarget } from './model.js';
import { groupBy, notExtensionMember, qualifiedKey, sortBy, type CatalogQuery } from './shared.js';

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: Constraint['type'];
  definition: string;
  columns: string[];
  ref: { schema: string; table: string; columns: string[] | null; on_update: string; on_delete: string; match: string } | null;
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  enforced: boolean;
  comment: string | null;
}

// contype 'n' (NOT NULL, PG 18) is nullability, already in Column.nullable; 't' is a constraint trigger, listed with
// the triggers. conparentid <> 0 marks a constraint cloned from a partitioned parent (onto each partition, or a
// foreign key fanned out to each partition of the referenced table): implied by the parent's, and the fan-out
// repeats the same name on one table. conenforced is PG 18's (NOT ENFORCED); read through to_jsonb so older servers,
// which have no such column, say true rather than fail.
const CONSTRAINTS_SQL = `
select n.nspname::text as schema, c.relname::text as table, co.conname::text as name, co.contype::text as type,
       pg_get_constraintdef(co.oid) as definition,
       coalesce((select array_agg(a.attname::text order by k.ord)
                   from unnest(co.conkey) with ordinality k(attnum, ord)
                   join pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.attnum), '{}'::text[]) as columns,
       case when co.contype = 'f' then json_build_object(
         'schema', fn.nspname::text, 'table', fc.relname::text,
         'columns', (select array_agg(a.attname::text order by k.ord)
                       from unnest(co.confkey) with ordinality k(attnum, ord)
                       join pg_attribute a on a.attrelid = co.confrelid and a.attnum = k.attnum),
         'on_update', co.confupdtype::text, 'on_delete', co.confdeltype::text, 'match', co.confmatchtype::text) end as ref,
       co.condeferrable as deferrable, co.condeferred as deferred, co.convalidated as validated,
       coalesce((to_jsonb(co) ->> 'conenforced')::boolean, true) as enforced,
       obj_description(co.oid, 'pg_constraint') as comment
  from pg_constraint co
  join pg_class c on c.oid = co.conrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_class fc on fc.oid = co.confrelid
  left join pg_namespace fn on fn.oid = fc.relnamespace
 where co.contype in ('p', 'u', 'f', 'c', 'x')
   and co.conparentid = 0
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

const ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const MATCH: Record<string, ForeignKeyTarget['match']> = { s: 'simple', f: 'full', p: 'partial' };

/**
 * Constraints by `qualifiedKey(schema, table)`, sorted by name.
 *
 * @example
 * (await readConstraints(q)).get(qualifiedKey('public', 'tasks'))?.filter((c) => c.type === 'f');
 */
export async function readConstraints(q: CatalogQuery): Promise<Map<string, Constraint[]>> {
  const rows = await q<ConstraintRow>(CONSTRAINTS_SQL);
  const out = new Map<string, Constraint[]>();
  for (const [key, list] of groupBy(rows, (r) => qualifiedKey(r.schema, r.table))) {
    const constraints = list.map((r): Constraint => ({
      name: r.name,
      type: r.type,
      definition: r.definition,
      columns: r.columns,
      references: r.ref
        ? {
            schema: r.ref.schema,
            table: r.ref.table,
            columns: r.ref.columns ?? [],
            onUpdate: ACTIONS[r.ref.on_update] ?? 'no action',
            onDelete: ACTIONS[r.ref.on_delete] ?? 'no action',
            match: MATCH[r.ref.match] ?? 'simple',
          }
        : null,
      deferrable: r.deferrable,
      initiallyDeferred: r.deferred,
      validated: r.validated,
      enforced: r.enforced,
      comment: r.comment,
    }));
    out.set(
      key,
      sortBy(constraints, (c) => c.name),
    );
  }
  return out;
}
