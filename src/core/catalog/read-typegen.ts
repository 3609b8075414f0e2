/**
 * Facts that `supabase gen types` reads and the catalog model does not keep: the rule trees of views (to prove view
 * columns NOT NULL and to trace view columns back to table keys, as PostgREST and the Supabase CLI do), whether views
 * and their columns are writable (`pg_relation_is_updatable` / `pg_column_is_updatable`, INSTEAD OF triggers and
 * rules), each set-returning function's ROWS estimate and argument type OIDs, every key constraint of the database
 * with column numbers, every row type, and the enums, domains and composites of every schema (a column may use a type
 * from a schema that is not exported).
 *
 * OIDs appear only as join keys between these facts (a view's rule tree names relations by OID); nothing derived from
 * them depends on their values, so PGlite and Postgres give the same types.
 *
 * @example
 * const facts = await readTypegenFacts(engine, ['public']);
 * facts.views.find((v) => v.name === 'profile_cards')?.notNullRefs; // [[16390, 1], …]
 */
import type { Engine, Queryable } from '../../db/engine.js';
import type { CompositeType, DomainType, EnumType } from './model.js';
import { readComposites, readDomains, readEnums } from './read-types.js';
import { catalogQuery, type CatalogQuery } from './shared.js';

export interface TypegenViewColumn {
  attnum: number;
  name: string;
  comment: string | null;
}

/** A view or materialized view in the exported schemas, or one they read (directly or through other views). */
export interface TypegenView {
  oid: number;
  schema: string;
  name: string;
  kind: 'view' | 'materialized';
  /** In one of the schemas asked for. */
  exported: boolean;
  /** pg_rewrite.ev_action of the `_RETURN` rule, as pg_node_tree text. */
  tree: string;
  columns: TypegenViewColumn[];
  /** `[relation oid, attnum]` of every NOT NULL column (or NOT NULL domain) the rule reads. */
  notNullRefs: [number, number][];
}

/** Writability of a view in the exported schemas. */
export interface TypegenViewWrites {
  schema: string;
  name: string;
  /** `pg_relation_is_updatable(…, true)` has INSERT (INSTEAD OF triggers and rules count). */
  insertable: boolean;
  /** … has UPDATE. */
  updatable: boolean;
  /** Columns PostgREST can write through the view. */
  writableColumns: string[];
}

export interface TypegenFunction {
  schema: string;
  name: string;
  /** pg_get_function_identity_arguments, as in the catalog's `Routine.identityArgs`. */
  identityArgs: string;
  /** prorows of a set-returning function (null otherwise, or 0). */
  rows: number | null;
  /** Type OIDs of the IN, INOUT and VARIADIC arguments, in order (pg_proc.proargtypes). */
  inTypeOids: number[];
}

/** A primary key, unique or foreign key constraint, anywhere outside the system schemas. */
export interface TypegenKey {
  name: string;
  type: 'p' | 'u' | 'f';
  /** Inherited from a partitioned parent (pg_constraint.conparentid <> 0). */
  inherited: boolean;
  rel: number;
  schema: string;
  table: string;
  /** `[attnum, name]` in constraint order. */
  columns: [number, string][];
  refRel: number | null;
  refSchema: string | null;
  refTable: string | null;
  refColumns: [number, string][];
}

export interface TypegenFacts {
  views: TypegenView[];
  viewWrites: TypegenViewWrites[];
  functions: TypegenFunction[];
  keys: TypegenKey[];
  /** Every row type (composite types, and tables, views, … by their row type) as schema and name. */
  rowTypes: { schema: string; name: string }[];
  /** Enums, domains and composites of every schema but the system ones (composites without attributes). */
  enums: EnumType[];
  domains: DomainType[];
  composites: CompositeType[];
}

const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast')`;

const VIEWS_SQL = `
with recursive closure(oid) as (
  select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind in ('v', 'm') and n.nspname = any($1::text[])
  union
  select d.refobjid
    from closure cl
    join pg_rewrite r on r.ev_class = cl.oid and r.rulename = '_RETURN'
    join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
    join pg_class rc on rc.oid = d.refobjid and rc.relkind in ('v', 'm')
)
select c.oid::int8 as oid, n.nspname::text as schema, c.relname::text as name,
       case c.relkind when 'm' then 'materialized' else 'view' end as kind,
       n.nspname = any($1::text[]) as exported,
       r.ev_action::text as tree,
       (select coalesce(json_agg(json_build_object('attnum', a.attnum::int, 'name', a.attname::text,
                                                   'comment', col_description(c.oid, a.attnum)) order by a.attnum), '[]'::json)
          from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select coalesce(json_agg(json_build_array(d.refobjid::int8, d.refobjsubid::int)), '[]'::json)
          from pg_depend d
          join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
          join pg_type t on t.oid = a.atttypid
         where d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
           and d.refobjsubid > 0 and (a.attnotnull or (t.typtype = 'd' and t.typnotnull))) as "notNullRefs"
  from closure cl
  join pg_class c on c.oid = cl.oid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_rewrite r on r.ev_class = c.oid and r.rulename = '_RETURN'`;

// INSTEAD OF INSERT/UPDATE triggers (tgtype bits: 64 INSTEAD, 4 INSERT, 16 UPDATE) and unconditional INSTEAD rules
// on INSERT/UPDATE make every column writable; otherwise the server says which columns an auto-updatable view passes on.
const VIEW_WRITES_SQL = `
select v.schema, v.name, v.insertable, v.updatable,
       (select coalesce(json_agg(a.attname::text order by a.attnum), '[]'::json)
          from pg_attribute a
         where a.attrelid = v.oid and a.attnum > 0 and not a.attisdropped
           and (v.rewritten or pg_column_is_updatable(v.oid, a.attnum, false))) as "writableColumns"
  from (select c.oid, n.nspname::text as schema, c.relname::text as name,
               (pg_relation_is_updatable(c.oid, true) & 8) = 8 as insertable,
               (pg_relation_is_updatable(c.oid, true) & 4) = 4 as updatable,
               exists (select 1 from pg_trigger tg
                        where tg.tgrelid = c.oid and not tg.tgisinternal and tg.tgtype & 64 <> 0 and tg.tgtype & 20 <> 0)
               or exists (select 1 from pg_rewrite rw
                           where rw.ev_class = c.oid and rw.is_instead and rw.ev_type in ('2', '3') and rw.ev_qual::text = '<>')
                 as rewritten
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind = 'v' and n.nspname = any($1::text[])) v`;

const FUNCTIONS_SQL = `
select n.nspname::text as schema, p.proname::text as name, pg_get_function_identity_arguments(p.oid) as "identityArgs",
       case when p.proretset and p.prorows > 0 then p.prorows::float8 end as rows,
       coalesce((select json_agg(t.oid::int8 order by t.ord) from unnest(p.proargtypes::oid[]) with ordinality t(oid, ord)), '[]'::json)
         as "inTypeOids"
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where p.prokind = 'f' and n.nspname = any($1::text[])`;

// Keys and row types of every schema (a view may show another schema's keys); `$1` is unused but always bound.
const KEYS_SQL = `
select co.conname::text as name, co.contype::text as type, co.conparentid <> 0 as inherited,
       co.conrelid::int8 as rel, n.nspname::text as schema, c.relname::text as "table",
       (select json_agg(json_build_array(k.attnum::int, a.attname::text) order by k.ord)
          from unnest(co.conkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.attnum) as columns,
       nullif(co.confrelid, 0)::int8 as "refRel", rn.nspname::text as "refSchema", rc.relname::text as "refTable",
       coalesce((select json_agg(json_build_array(k.attnum::int, a.attname::text) order by k.ord)
                   from unnest(co.confkey) with ordinality k(attnum, ord)
                   join pg_attribute a on a.attrelid = co.confrelid and a.attnum = k.attnum), '[]'::json) as "refColumns"
  from pg_constraint co
  join pg_class c on c.oid = co.conrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_class rc on rc.oid = co.confrelid
  left join pg_namespace rn on rn.oid = rc.relnamespace
 where co.contype in ('p', 'u', 'f') and n.nspname not in ${SYSTEM_SCHEMAS}
   and $1::text[] is not null`;

const ROW_TYPES_SQL = `
select n.nspname::text as schema, t.typname::text as name
  from pg_type t
  join pg_namespace n on n.oid = t.typnamespace
  join pg_class c on c.oid = t.typrelid
 where c.relkind in ('c', 'r', 'v', 'm', 'p', 'f')
   and $1::text[] is not null`;

const OTHER_SCHEMAS_SQL = `select coalesce(array_agg(nspname::text), '{}') as names from pg_namespace where nspname not in ${SYSTEM_SCHEMAS}`;

function isEngine(db: Queryable): db is Engine {
  return typeof (db as Partial<Engine>).transaction === 'function';
}

/**
 * Reads the typegen facts for `schemas` (the exported ones). On an Engine it runs in its own read-only transaction
 * with `search_path = ''`, so type names are schema-qualified exactly as the catalog writes them.
 */
export async function readTypegenFacts(db: Queryable, schemas: string[]): Promise<TypegenFacts> {
  if (isEngine(db)) {
    return db.transaction(async (tx) => {
      await tx.query('set transaction read only');
      await tx.query(`select set_config('search_path', '', true)`);
      return readAll(tx, schemas);
    });
  }
  const { rows } = await db.query<{ path: string }>(`select current_setting('search_path') as path`);
  await db.query(`select set_config('search_path', '', false)`);
  try {
    return await readAll(db, schemas);
  } finally {
    await db.query(`select set_config('search_path', $1, false)`, [rows[0]?.path ?? '']).catch(() => undefined);
  }
}

async function readAll(db: Queryable, schemas: string[]): Promise<TypegenFacts> {
  const q: CatalogQuery = catalogQuery(db, schemas);
  const views = await q<TypegenView>(VIEWS_SQL);
  const viewWrites = await q<TypegenViewWrites>(VIEW_WRITES_SQL);
  const functions = await q<TypegenFunction>(FUNCTIONS_SQL);
  const keys = await q<TypegenKey>(KEYS_SQL);
  const rowTypes = await q<{ schema: string; name: string }>(ROW_TYPES_SQL);
  const { rows } = await db.query<{ names: string[] }>(OTHER_SCHEMAS_SQL);
  const all = catalogQuery(db, rows[0]?.names ?? []);
  return {
    views: views.map((v) => ({ ...v, oid: Number(v.oid), notNullRefs: v.notNullRefs.map(([r, a]) => [Number(r), a]) })),
    viewWrites,
    functions: functions.map((f) => ({ ...f, inTypeOids: f.inTypeOids.map(Number) })),
    keys: keys.map((k) => ({ ...k, rel: Number(k.rel), refRel: k.refRel === null ? null : Number(k.refRel) })),
    rowTypes,
    enums: await readEnums(all),
    domains: await readDomains(all),
    composites: await readComposites(all, new Map()),
  };
}
