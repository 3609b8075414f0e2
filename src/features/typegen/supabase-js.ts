/**
 * supabase-js `Database` types from the catalog, in the shape `supabase gen types typescript` (CLI v3) produces:
 * `Json`; `Database[schema].{Tables, Views, Functions, Enums, CompositeTypes}`; per table `Row`, `ComputedFields`,
 * `Insert`, `Update`, `Relationships`; the helper types `Tables<>`, `TablesInsert<>`, `TablesUpdate<>`, `Enums<>`,
 * `CompositeTypes<>`; and the runtime `Constants` object with every enum's values.
 *
 * Output is deterministic (members sorted as the CLI sorts them) and formatted (2 spaces, one member a line), so it
 * diffs well in git. It is the same on PGlite and on Postgres: it reads the catalog model and the typegen facts
 * (core/catalog/read-typegen.ts), whose OIDs serve only as join keys.
 *
 * @example
 * const text = renderSupabaseTypes(await readCatalog(engine, { schemas }), { schemas, facts: await readTypegenFacts(engine, schemas) });
 * // or, in one call: await generateSupabaseTypes(engine, schemas) (supabase-js-read.ts)
 */
import type { Catalog, Column, Table, View } from '../../core/catalog/index.js';
import type { TypegenFacts } from '../../core/catalog/read-typegen.js';
import { orNull, TypegenContext } from './supabase-js-context.js';
import { computedFields, functionGroups, renderFunctionMembers, type FunctionGroup } from './supabase-js-functions.js';
import { SUPABASE_HELPER_TYPES } from './supabase-js-helpers.js';
import { compareNames, objectType, stringArray, tupleOf, type Member } from './supabase-js-layout.js';
import { relationshipsOf } from './supabase-js-relationships.js';
import { literalKey, quoteString } from './ts-names.js';

export { compareNames } from './supabase-js-layout.js';

export interface SupabaseTypesOptions {
  /** Schemas to put in `Database`, e.g. `['public']`. Schemas absent from the catalog are still emitted (empty). */
  schemas: string[];
  /**
   * Facts the CLI reads beyond the catalog (readTypegenFacts): view NOT NULL columns and writability, relationships
   * through views, ROWS estimates, types of other schemas. Without them views are read-only with nullable columns
   * and relationships are the exported tables' foreign keys.
   */
  facts?: TypegenFacts;
}

/** The `Json` type, exactly as the CLI defines it (formatted). */
export const SUPABASE_JSON_TYPE = `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]
`;

const byName = <T extends { name: string }>(a: T, b: T) => compareNames(a.name, b.name);

function relationshipItems(ctx: TypegenContext, schema: string, relation: string): string[] {
  return relationshipsOf(ctx.relationships, schema, relation)
    .map((r) =>
      objectType([
        { key: 'foreignKeyName', type: quoteString(r.name) },
        { key: 'columns', type: stringArray(r.columns) },
        { key: 'isOneToOne', type: String(r.oneToOne) },
        { key: 'referencedRelation', type: quoteString(r.refRelation) },
        { key: 'referencedColumns', type: stringArray(r.refColumns) },
      ]),
    )
    .sort(compareNames);
}

function computedKeys(fields: Member[]): string {
  return fields.length ? fields.map((f) => quoteString(f.key)).join(' | ') : 'never';
}

function renderTable(ctx: TypegenContext, groups: FunctionGroup[], table: Table): string {
  const cols = [...table.columns].sort(byName);
  const computed = computedFields(ctx, groups, table, table.schema);
  const row: Member[] = [...cols.map((c) => ({ key: c.name, type: ctx.columnTs(c) })), ...computed];
  const readOnly = (c: Column) => c.generated !== null || c.identity === 'a';
  const insert: Member[] = cols.map((c) =>
    readOnly(c)
      ? { key: c.name, optional: true, type: 'never' }
      : { key: c.name, optional: !ctx.columnNotNull(c) || c.default !== null || c.identity !== null, type: ctx.columnTs(c) },
  );
  const update: Member[] = cols.map((c) => ({ key: c.name, optional: true, type: readOnly(c) ? 'never' : ctx.columnTs(c) }));
  return objectType([
    { key: 'Row', type: objectType(row, '{}') },
    { key: 'ComputedFields', type: computedKeys(computed) },
    { key: 'Insert', type: objectType(insert, '{}') },
    { key: 'Update', type: objectType(update, '{}') },
    { key: 'Relationships', type: tupleOf(relationshipItems(ctx, table.schema, table.name)) },
  ]);
}

function renderView(ctx: TypegenContext, groups: FunctionGroup[], view: View, materialized: boolean): string {
  const cols = [...view.columns].sort(byName);
  const computed = computedFields(ctx, groups, view, view.schema);
  const row: Member[] = [
    ...cols.map((c) => ({ key: c.name, type: ctx.typeWithNull(c.type, !ctx.viewColumnNotNull(view, c.name)) })),
    ...computed,
  ];
  const members: Member[] = [
    { key: 'Row', type: objectType(row, '{}') },
    { key: 'ComputedFields', type: computedKeys(computed) },
  ];
  const writes = materialized ? undefined : ctx.writesOf(view);
  if (writes) {
    const writable = cols.map((c) =>
      writes.writableColumns.includes(c.name)
        ? { key: c.name, optional: true, type: orNull(ctx.ts(c.type)) }
        : { key: c.name, optional: true, type: 'never' },
    );
    if (writes.insertable) members.push({ key: 'Insert', type: objectType(writable, '{}') });
    if (writes.updatable) members.push({ key: 'Update', type: objectType(writable, '{}') });
  }
  members.push({ key: 'Relationships', type: tupleOf(relationshipItems(ctx, view.schema, view.name)) });
  return objectType(members);
}

function renderSchema(ctx: TypegenContext, schema: string): string {
  const c = ctx.catalog;
  const groups = functionGroups(ctx, schema);
  const tables = c.tables.filter((t) => t.schema === schema).sort(byName);
  const views = [
    ...c.views.filter((v) => v.schema === schema).map((v) => ({ v, materialized: false })),
    ...c.materializedViews.filter((v) => v.schema === schema).map((v) => ({ v: v as View, materialized: true })),
  ].sort((a, b) => byName(a.v, b.v));
  const enums = c.enums.filter((e) => e.schema === schema).sort(byName);
  const composites = c.composites.filter((t) => t.schema === schema).sort(byName);
  return objectType([
    { key: 'Tables', type: objectType(tables.map((t) => ({ key: t.name, type: renderTable(ctx, groups, t) }))) },
    {
      key: 'Views',
      type: objectType(views.map(({ v, materialized }) => ({ key: v.name, type: renderView(ctx, groups, v, materialized) }))),
    },
    { key: 'Functions', type: objectType(renderFunctionMembers(ctx, groups, schema)) },
    {
      key: 'Enums',
      type: objectType(enums.map((e) => ({ key: e.name, type: e.values.length ? e.values.map(quoteString).join(' | ') : 'never' }))),
    },
    {
      key: 'CompositeTypes',
      type: objectType(
        composites.map((t) => ({
          key: t.name,
          type: objectType(
            [...t.attributes].sort((a, b) => a.ordinal - b.ordinal).map((a) => ({ key: a.name, type: orNull(ctx.ts(a.type)) })),
            '{}',
          ),
        })),
      ),
    },
  ]);
}

function renderConstants(ctx: TypegenContext, schemas: string[]): string {
  // A runtime object: keys as object-literal keys (a schema or enum named `__proto__` must be an own key).
  const body = objectType(
    schemas.map((s) => ({
      key: s,
      type: objectType(
        [
          {
            key: 'Enums',
            type: objectType(
              ctx.catalog.enums
                .filter((e) => e.schema === s)
                .sort(byName)
                .map((e) => ({ key: e.name, type: stringArray(e.values) })),
              '{}',
              literalKey,
            ),
          },
        ],
        '{}',
        literalKey,
      ),
    })),
    '{}',
    literalKey,
  );
  // Runtime object: members separated by commas.
  return `export const Constants = ${withCommas(body)} as const\n`;
}

/** Turns a type-literal layout into an object-literal one: a comma after every member (trailing ones included). */
function withCommas(text: string): string {
  const lines = text.split('\n');
  return lines.map((line, i) => (i === lines.length - 1 || /[{[]$/.test(line) ? line : `${line},`)).join('\n');
}

/**
 * The supabase-js `Database` types for `opts.schemas`, as `supabase gen types typescript --schema …` writes them.
 *
 * @example
 * renderSupabaseTypes(catalog, { schemas: ['public'] }).startsWith('export type Json =') // true
 */
export function renderSupabaseTypes(catalog: Catalog, opts: SupabaseTypesOptions): string {
  const schemas = [...new Set(opts.schemas)].sort(compareNames);
  const ctx = new TypegenContext(catalog, schemas, opts.facts);
  const database = objectType(
    schemas.map((s) => ({ key: s, type: renderSchema(ctx, s) })),
    '{}',
  );
  return [SUPABASE_JSON_TYPE, `export type Database = ${database}\n`, SUPABASE_HELPER_TYPES, renderConstants(ctx, schemas)].join('\n');
}
