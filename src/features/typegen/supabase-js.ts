/**
 * supabase-js `Database` types from the catalog, in the shape `supabase gen types typescript` (CLI v3) produces:
 * `Json`; `Database[schema].{Tables, Views, Functions, Enums, CompositeTypes}`; per table `Row`, `ComputedFields`,
 * `Insert`, `Update`, `Relationships`; the helper types `Tables<>`, `TablesInsert<>`, `TablesUpdate<>`, `Enums<>`,
 * `CompositeTypes<>`; and the runtime `Constants` object with every enum's values.
 *
 * Output is deterministic (members sorted as the CLI sorts them) and formatted (2 spaces, one member a line), so it
 * diffs well in git. It is the same on PGlite and on Postgres, since it only reads the catalog model.
 *
 * @example
 * const catalog = await readCatalog(engine);
 * fs.writeFileSync('supabase/types/database.ts', renderSupabaseTypes(catalog, { schemas: ['public'] }));
 */
import type { Catalog, Column, Routine, Table, View } from '../../core/catalog/index.js';
import { SUPABASE_HELPER_TYPES } from './supabase-js-helpers.js';
import { arrayOf, parsePgType, pgToTs, quoteKey, quoteString, resolvePgType, type PgToTsOptions } from './ts-names.js';

export interface SupabaseTypesOptions {
  /** Schemas to put in `Database`, e.g. `['public']`. Schemas absent from the catalog are still emitted (empty). */
  schemas: string[];
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

/** The CLI's member order: `localeCompare` (case- and punctuation-insensitive first), made deterministic. */
const collator = new Intl.Collator('en', { usage: 'sort' });
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
const byName = <T extends { name: string }>(a: T, b: T) => compareNames(a.name, b.name);

interface Member {
  key: string;
  optional?: boolean;
  /** A type expression (may span lines: then its lines after the first are already indented relative to 0). */
  type: string;
}

const IND = '  ';

function indentLines(text: string, by: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : by + line))
    .join('\n');
}

/** `{ a: T; … }` laid out one member a line; `{ [_ in never]: never }` when empty (as the CLI writes). */
function objectType(members: Member[], emptyAs: 'never' | '{}' = 'never'): string {
  if (members.length === 0) return emptyAs === 'never' ? `{\n${IND}[_ in never]: never\n}` : '{}';
  const lines = members.map((m) => {
    const head = `${IND}${quoteKey(m.key)}${m.optional ? '?' : ''}:`;
    // A multi-line union starts on its own line: `key:\n  | {…}\n  | {…}`.
    return m.type.startsWith('\n') ? `${head}${indentLines(m.type, IND + IND)}` : `${head} ${indentLines(m.type, IND)}`;
  });
  return `{\n${lines.join('\n')}\n}`;
}

function tupleOf(items: string[]): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((i) => `${IND}${indentLines(i, IND)},`).join('\n')}\n]`;
}

function stringArray(values: string[]): string {
  return `[${values.map(quoteString).join(', ')}]`;
}

/** `T | null`; `unknown` absorbs null (the CLI prints plain `unknown`). */
function orNull(ts: string): string {
  return ts === 'unknown' ? ts : `${ts} | null`;
}

/** Everything the renderer needs about one database, precomputed. */
class Ctx {
  readonly tsOpts: PgToTsOptions;
  constructor(
    readonly catalog: Catalog,
    readonly schemas: string[],
  ) {
    this.tsOpts = { schemas, enumStyle: 'supabase' };
  }

  ts(type: string): string {
    return pgToTs(type, this.catalog, this.tsOpts);
  }

  /** Column type for tables: a NOT NULL json/jsonb column is `NonNullable<Json>` (as the CLI writes). */
  columnTs(c: Column): string {
    const ts = this.ts(c.type);
    if (!c.nullable) return ts === 'Json' ? 'NonNullable<Json>' : ts;
    return orNull(ts);
  }

  tableOf(type: string): Table | undefined {
    const r = resolvePgType(type, this.catalog);
    if (r.kind !== 'table' || r.ref.isArray) return undefined;
    return this.catalog.tables.find((t) => t.schema === r.schema && t.name === r.name);
  }
}

/** Input arguments (IN, INOUT, VARIADIC) of a routine. */
function inArgs(fn: Routine) {
  return fn.arguments.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
}

/** Unnamed single arguments the CLI keeps as `"": T` (PostgREST calls them with the request body). */
const UNNAMED_BODY_TYPES = new Set(['json', 'jsonb', 'text', 'varchar', 'citext', 'xml', 'bytea']);

/** Functions the CLI lists: plain functions, not returning trigger/event_trigger, with named arguments. */
function isExposedFunction(fn: Routine): boolean {
  if (fn.kind !== 'function') return false;
  const ret = fn.returnType === null ? null : parsePgType(fn.returnType).canonical;
  if (ret === 'trigger' || ret === 'event_trigger') return false;
  const args = inArgs(fn);
  const unnamed = args.filter((a) => a.name === null || a.name === '');
  if (unnamed.length === 0) return true;
  if (args.length !== 1) return false;
  const only = parsePgType(args[0]!.type);
  return !only.isArray && UNNAMED_BODY_TYPES.has(only.canonical);
}

/** A computed field: a function taking exactly one argument, the table's row type. */
function computedFieldsOf(ctx: Ctx, table: Table): Routine[] {
  return ctx.catalog.functions.filter((fn) => {
    if (fn.schema !== table.schema || !isExposedFunction(fn) || fn.returnType === null) return false;
    const args = inArgs(fn);
    if (args.length !== 1) return false;
    const t = ctx.tableOf(args[0]!.type);
    return t !== undefined && t.schema === table.schema && t.name === table.name;
  });
}

function renderTable(ctx: Ctx, table: Table): string {
  const cols = [...table.columns].sort(byName);
  const computed = computedFieldsOf(ctx, table).sort(byName);
  const computedNames = [...new Set(computed.map((f) => f.name))];
  const row: Member[] = cols.map((c) => ({ key: c.name, type: ctx.columnTs(c) }));
  for (const name of computedNames) {
    const fn = computed.find((f) => f.name === name)!;
    row.push({ key: name, type: orNull(functionReturns(ctx, fn)) });
  }
  const readOnly = (c: Column) => c.generated !== null || c.identity === 'a';
  const insert: Member[] = cols.map((c) =>
    readOnly(c)
      ? { key: c.name, optional: true, type: 'never' }
      : { key: c.name, optional: c.nullable || c.default !== null || c.identity === 'd', type: ctx.columnTs(c) },
  );
  const update: Member[] = cols.map((c) => ({ key: c.name, optional: true, type: readOnly(c) ? 'never' : ctx.columnTs(c) }));
  const members: Member[] = [
    { key: 'Row', type: objectType(row, '{}') },
    { key: 'ComputedFields', type: computedNames.length ? computedNames.map(quoteString).join(' | ') : 'never' },
    { key: 'Insert', type: objectType(insert, '{}') },
    { key: 'Update', type: objectType(update, '{}') },
    { key: 'Relationships', type: tupleOf(relationships(ctx, table)) },
  ];
  return objectType(members);
}

/**
 * Foreign keys of a table to tables of the same schema (as the CLI: PostgREST embeds only within a schema, and a
 * cross-schema target such as `auth.users` would be mistaken for a same-named table), sorted by constraint name.
 */
function relationships(ctx: Ctx, table: Table): string[] {
  const uniques = table.constraints.filter((c) => c.type === 'p' || c.type === 'u').map((c) => [...c.columns].sort().join('\0'));
  const fks = table.constraints
    .filter((c) => c.type === 'f' && c.references !== null && c.references.schema === table.schema)
    .sort((a, b) => compareNames(a.name, b.name) || compareNames(a.references!.table, b.references!.table));
  return fks.map((fk) => {
    const ref = fk.references!;
    const oneToOne = uniques.includes([...fk.columns].sort().join('\0'));
    return objectType([
      { key: 'foreignKeyName', type: quoteString(fk.name) },
      { key: 'columns', type: stringArray(fk.columns) },
      { key: 'isOneToOne', type: String(oneToOne) },
      { key: 'referencedRelation', type: quoteString(ref.table) },
      { key: 'referencedColumns', type: stringArray(ref.columns) },
    ]);
  });
}

/**
 * Whether PostgreSQL would auto-update a view (one relation in FROM; no WITH, DISTINCT, GROUP BY, HAVING, set
 * operations, LIMIT/OFFSET, aggregates or window functions), or INSTEAD OF triggers make it writable.
 */
export function isUpdatableView(view: View, catalog: Catalog): boolean {
  const triggers = catalog.triggers.filter((t) => t.schema === view.schema && t.table === view.name && t.timing === 'instead of');
  const events = new Set(triggers.flatMap((t) => t.events));
  if (events.has('insert') && events.has('update')) return true;
  const def = view.definition.toLowerCase().replace(/'(?:[^']|'')*'/g, "''");
  if (/^\s*\(?\s*with\b/.test(def)) return false;
  if (/\b(group\s+by|having|distinct|union|intersect|except|limit|offset|fetch\s+first|join|window|lateral)\b/.test(def)) return false;
  if (/\bover\s*\(/.test(def)) return false;
  if (/\b(count|sum|avg|min|max|array_agg|string_agg|json_agg|jsonb_agg|json_object_agg|jsonb_object_agg|bool_and|bool_or|every|bit_and|bit_or)\s*\(/.test(def)) return false;
  if (/\b(generate_series|unnest|jsonb_array_elements|json_array_elements|jsonb_each|json_each|regexp_matches)\s*\(/.test(def)) return false;
  const from = /\bfrom\b([\s\S]*?)(\bwhere\b|;|$)/.exec(def);
  if (!from) return false;
  const fromList = (from[1] ?? '').replace(/\([^()]*\)/g, '');
  if (fromList.includes(',') || fromList.includes('(')) return false;
  return true;
}

function renderView(ctx: Ctx, view: View, updatable: boolean): string {
  const cols = [...view.columns].sort(byName);
  const row: Member[] = cols.map((c) => ({ key: c.name, type: orNull(ctx.ts(c.type)) }));
  const writable: Member[] = cols.map((c) => ({ key: c.name, optional: true, type: orNull(ctx.ts(c.type)) }));
  const members: Member[] = [
    { key: 'Row', type: objectType(row, '{}') },
    { key: 'ComputedFields', type: 'never' },
  ];
  if (updatable) members.push({ key: 'Insert', type: objectType(writable, '{}') }, { key: 'Update', type: objectType(writable, '{}') });
  members.push({ key: 'Relationships', type: '[]' });
  return objectType(members);
}

/** The TypeScript of a function's return value (arrays for set-returning functions). */
function functionReturns(ctx: Ctx, fn: Routine): string {
  const tableCols = fn.arguments.filter((a) => a.mode === 'table');
  let ts: string;
  if (tableCols.length > 0) {
    ts = objectType(tableCols.map((a) => ({ key: a.name ?? '', type: ctx.ts(a.type) })), '{}');
  } else if (fn.returnType === null) {
    ts = 'undefined';
  } else {
    const table = ctx.tableOf(fn.returnType);
    if (table && ctx.schemas.includes(table.schema)) {
      ts = objectType([...table.columns].sort(byName).map((c) => ({ key: c.name, type: ctx.columnTs(c) })), '{}');
    } else {
      ts = ctx.ts(fn.returnType);
    }
  }
  return fn.returnsSet ? arrayOf(ts) : ts;
}

/** `SetofOptions` the CLI adds for functions returning a table row or a composite. */
function setofOptions(ctx: Ctx, fn: Routine): string | null {
  if (fn.returnType === null || fn.arguments.some((a) => a.mode === 'table')) return null;
  const r = resolvePgType(fn.returnType, ctx.catalog);
  if (r.ref.isArray) return null;
  let to: string;
  if (r.kind === 'table' || r.kind === 'view') to = r.name;
  else if (r.kind === 'composite') to = r.composite.name;
  else return null;
  const args = inArgs(fn);
  let from = '*';
  if (args.length === 1) {
    const a = resolvePgType(args[0]!.type, ctx.catalog);
    if (!a.ref.isArray && (a.kind === 'table' || a.kind === 'view')) from = a.name;
    else if (!a.ref.isArray && a.kind === 'composite') from = a.composite.name;
  }
  return objectType([
    { key: 'from', type: quoteString(from) },
    { key: 'to', type: quoteString(to) },
    { key: 'isOneToOne', type: String(!fn.returnsSet) },
    { key: 'isSetofReturn', type: String(fn.returnsSet) },
  ]);
}

function functionArgs(ctx: Ctx, fn: Routine): string {
  const args = inArgs(fn)
    .map((a) => ({ ...a, name: a.name ?? '' }))
    .sort(byName);
  if (args.length === 0) return 'Record<PropertyKey, never>';
  return objectType(
    args.map((a) => {
      const table = ctx.tableOf(a.type);
      let ts: string;
      if (table && ctx.schemas.includes(table.schema)) {
        const base = `Database[${quoteString(table.schema)}]["Tables"][${quoteString(table.name)}]`;
        ts = `Omit<${base}["Row"], ${base}["ComputedFields"]>`;
      } else {
        ts = ctx.ts(a.type);
      }
      return { key: a.name, optional: a.hasDefault, type: ts };
    }),
  );
}

function renderFunctionVariant(ctx: Ctx, fn: Routine): string {
  const members: Member[] = [
    { key: 'Args', type: functionArgs(ctx, fn) },
    { key: 'Returns', type: functionReturns(ctx, fn) },
  ];
  const setof = setofOptions(ctx, fn);
  if (setof) members.push({ key: 'SetofOptions', type: setof });
  return objectType(members);
}

function renderFunctions(ctx: Ctx, schema: string): Member[] {
  const fns = ctx.catalog.functions.filter((f) => f.schema === schema && isExposedFunction(f));
  const names = [...new Set(fns.map((f) => f.name))].sort(compareNames);
  return names.map((name) => {
    const variants = fns
      .filter((f) => f.name === name)
      .sort((a, b) => (a.identityArgs < b.identityArgs ? -1 : a.identityArgs > b.identityArgs ? 1 : 0))
      .map((f) => renderFunctionVariant(ctx, f));
    const type = variants.length === 1 ? variants[0]! : `\n${variants.map((v) => `| ${indentLines(v, '  ')}`).join('\n')}`;
    return { key: name, type };
  });
}

function renderSchema(ctx: Ctx, schema: string): string {
  const c = ctx.catalog;
  const tables = c.tables.filter((t) => t.schema === schema).sort(byName);
  const views = [
    ...c.views.filter((v) => v.schema === schema).map((v) => ({ v, updatable: isUpdatableView(v, c) })),
    ...c.materializedViews.filter((v) => v.schema === schema).map((v) => ({ v: v as View, updatable: false })),
  ].sort((a, b) => byName(a.v, b.v));
  const enums = c.enums.filter((e) => e.schema === schema).sort(byName);
  const composites = c.composites.filter((t) => t.schema === schema).sort(byName);
  return objectType([
    { key: 'Tables', type: objectType(tables.map((t) => ({ key: t.name, type: renderTable(ctx, t) }))) },
    { key: 'Views', type: objectType(views.map(({ v, updatable }) => ({ key: v.name, type: renderView(ctx, v, updatable) }))) },
    { key: 'Functions', type: objectType(renderFunctions(ctx, schema)) },
    { key: 'Enums', type: objectType(enums.map((e) => ({ key: e.name, type: e.values.length ? e.values.map(quoteString).join(' | ') : 'never' }))) },
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

function renderConstants(ctx: Ctx, schemas: string[]): string {
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
            ),
          },
        ],
        '{}',
      ),
    })),
    '{}',
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
  const ctx = new Ctx(catalog, schemas);
  const database = objectType(
    schemas.map((s) => ({ key: s, type: renderSchema(ctx, s) })),
    '{}',
  );
  return [SUPABASE_JSON_TYPE, `export type Database = ${database}\n`, SUPABASE_HELPER_TYPES, renderConstants(ctx, schemas)].join('\n');
}
