/**
 * User-defined types: enums, domains and composite types.
 */
import type { Column, CompositeType, DomainType, EnumType } from './model.js';
import { notExtensionMember, qualifiedKey, sortBy, type CatalogQuery } from './shared.js';

const ENUMS_SQL = `
select n.nspname::text as schema, t.typname::text as name,
       coalesce((select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid),
                '{}'::text[]) as values,
       obj_description(t.oid, 'pg_type') as comment
  from pg_type t
  join pg_namespace n on n.oid = t.typnamespace
 where t.typtype = 'e'
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_type', 't.oid')}`;

/**
 * Enums with their labels in sort order.
 *
 * @example
 * await readEnums(q) // [{ schema: 'public', name: 'task_status', values: ['todo', 'done'], comment: null }]
 */
export async function readEnums(q: CatalogQuery): Promise<EnumType[]> {
  return sortBy(
    await q<EnumType>(ENUMS_SQL),
    (e) => e.schema,
    (e) => e.name,
  );
}

interface DomainRow extends Omit<DomainType, 'baseType' | 'notNull'> {
  base_type: string;
  not_null: boolean;
}

// The default is deparsed from typdefaultbin now rather than taken from typdefault, which is text frozen at
// CREATE time under whatever search_path was current then. Only CHECK constraints are listed: since PG 17 a
// domain's NOT NULL is also a pg_constraint row (contype 'n'), which typnotnull already says.
const DOMAINS_SQL = `
select n.nspname::text as schema, t.typname::text as name,
       format_type(t.typbasetype, t.typtypmod) as base_type,
       t.typnotnull as not_null,
       pg_get_expr(t.typdefaultbin, 0) as default,
       case when t.typcollation <> bt.typcollation and t.typcollation <> 0 then t.typcollation::regcollation::text end as collation,
       coalesce((select json_agg(json_build_object('name', co.conname::text, 'definition', pg_get_constraintdef(co.oid)))
                   from pg_constraint co where co.contypid = t.oid and co.contype = 'c'), '[]'::json) as checks,
       obj_description(t.oid, 'pg_type') as comment
  from pg_type t
  join pg_namespace n on n.oid = t.typnamespace
  join pg_type bt on bt.oid = t.typbasetype
 where t.typtype = 'd'
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_type', 't.oid')}`;

/**
 * Domains with base type, NOT NULL, default and CHECK constraints.
 *
 * @example
 * (await readDomains(q)).find((d) => d.name === 'email')?.checks;
 */
export async function readDomains(q: CatalogQuery): Promise<DomainType[]> {
  const rows = await q<DomainRow>(DOMAINS_SQL);
  const domains = rows.map((r): DomainType => ({
    schema: r.schema,
    name: r.name,
    baseType: r.base_type,
    notNull: r.not_null,
    default: r.default,
    collation: r.collation,
    checks: sortBy([...r.checks], (c) => c.name),
    comment: r.comment,
  }));
  return sortBy(
    domains,
    (d) => d.schema,
    (d) => d.name,
  );
}

// A table's row type is typtype 'c' too; only free-standing composites (CREATE TYPE … AS) have relkind 'c'.
const COMPOSITES_SQL = `
select n.nspname::text as schema, t.typname::text as name, obj_description(t.oid, 'pg_type') as comment
  from pg_type t
  join pg_namespace n on n.oid = t.typnamespace
  join pg_class c on c.oid = t.typrelid
 where t.typtype = 'c' and c.relkind = 'c'
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_type', 't.oid')}`;

/**
 * Composite types; their attributes come from the shared columns read (keyed by the type's relation).
 *
 * @example
 * const composites = await readComposites(q, await readColumns(q));
 */
export async function readComposites(q: CatalogQuery, columns: Map<string, Column[]>): Promise<CompositeType[]> {
  const rows = await q<{ schema: string; name: string; comment: string | null }>(COMPOSITES_SQL);
  const composites = rows.map((r): CompositeType => ({
    schema: r.schema,
    name: r.name,
    attributes: (columns.get(qualifiedKey(r.schema, r.name)) ?? []).map((c) => ({
      name: c.name,
      ordinal: c.ordinal,
      type: c.type,
      collation: c.collation,
    })),
    comment: r.comment,
  }));
  return sortBy(
    composites,
    (c) => c.schema,
    (c) => c.name,
  );
}
