/**
 * Shared helpers for the type generators (supabase-js `Database` types, camelCase interfaces, Zod schemas):
 * TypeScript identifier quoting and the Postgres type → TypeScript type map.
 *
 * Names come from the database and may be any legal identifier (quotes, backslashes, newlines, comment ends, `${`,
 * unicode, `__proto__`); everything the generators print from a name goes through `quoteKey` / `quoteString` /
 * `literalKey` (code) or `commentText` (comments), so no name can end a string or a comment.
 *
 * Types come from the catalog as `format_type` text (`bigint`, `character varying(255)`, `public.task_status[]`,
 * `timestamp(3) with time zone`); `parsePgType` turns that into a canonical internal name (`int8`, `varchar`, …)
 * plus schema, modifiers and array-ness, and `pgToTs` maps it to TypeScript.
 *
 * @example
 * pgToTs('character varying(80)', catalog);           // 'string'
 * pgToTs('public.task_status[]', catalog);            // 'Database["public"]["Enums"]["task_status"][]'
 * pgToTs('public.task_status', catalog, { enumStyle: 'union' }); // '"todo" | "done"'
 * quoteKey('user_id'); quoteKey('my-col');           // 'user_id', '"my-col"'
 * literalKey('__proto__');                           // '["__proto__"]'
 */
import type { Catalog, CompositeType, DomainType, EnumType } from '../../core/catalog/index.js';

/** A `format_type` string taken apart. */
export interface PgTypeRef {
  /** Schema when the text was schema-qualified (types outside pg_catalog), else null. */
  schema: string | null;
  /** Unquoted type name as written by format_type, without modifiers or `[]`: `character varying`, `task_status`. */
  name: string;
  /**
   * Internal (pg_type.typname) name for built-in types: `int8`, `varchar`, `bpchar`, `timestamptz`, `bool`, …;
   * for user types the plain name (`task_status`).
   */
  canonical: string;
  /** Numeric type modifiers: `varchar(255)` → [255], `numeric(12,2)` → [12, 2], `timestamp(3) …` → [3]. */
  modifiers: number[];
  /** format_type writes one `[]` whatever the dimensions; true when present. */
  isArray: boolean;
}

/** TypeScript identifier that needs no quotes as an object key (ASCII only, like prettier's `as-needed`). */
const BARE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A string literal type / index key: always quoted, `"public"`. JSON escapes quotes, backslashes and control
 * characters; U+2028 / U+2029 are escaped too (line terminators to older parsers and in comments).
 */
export function quoteString(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** An object key: bare when it is a plain identifier, otherwise a string literal (`"my-col"`). */
export function quoteKey(name: string): string {
  return BARE_KEY.test(name) ? name : quoteString(name);
}

/**
 * A key of an object *literal* (runtime code): as `quoteKey`, but `__proto__` is computed, `["__proto__"]`. A bare
 * or quoted `__proto__:` sets the object's prototype; only the computed form makes an own property.
 */
export function literalKey(name: string): string {
  return name === '__proto__' ? `[${quoteString(name)}]` : quoteKey(name);
}

/**
 * Names of Object.prototype's members. A plain object seems to have them (`{}.constructor`), and assigning
 * `obj.__proto__ = x` replaces the prototype; generated runtime code treats keys with these names specially.
 */
const PROTOTYPE_MEMBERS: ReadonlySet<string> = new Set([
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/** Whether a plain object inherits a member of that name (`constructor`, `toString`, `__proto__`, …). */
export function isPrototypeMember(name: string): boolean {
  return PROTOTYPE_MEMBERS.has(name);
}

/**
 * Text safe inside a line comment or a JSDoc block: line terminators written as `\n`, `\r`, `\u2028`, `\u2029`,
 * and a comment end (star, slash) as star, backslash, slash.
 */
export function commentText(text: string): string {
  return text
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/\*\//g, '*\\/');
}

/** `table[key]` when `table` has that key of its own (never an Object.prototype member such as `constructor`). */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** format_type spellings of built-in types → typname. */
const BUILTIN_ALIASES: Record<string, string> = {
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  '"char"': 'char',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'bit varying': 'varbit',
  decimal: 'numeric',
};

function unquoteIdent(text: string): string {
  const t = text.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replace(/""/g, '"');
  return t;
}

/** Splits `a.b` on the first dot outside double quotes. */
function splitQualified(text: string): [string | null, string] {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '.' && !inQuote) return [unquoteIdent(text.slice(0, i)), text.slice(i + 1)];
  }
  return [null, text];
}

/** Parses a `format_type` string. */
export function parsePgType(typeText: string): PgTypeRef {
  let text = typeText.trim();
  let isArray = false;
  while (text.endsWith('[]')) {
    isArray = true;
    text = text.slice(0, -2).trimEnd();
  }
  const [schema, rest] = splitQualified(text);
  let body = rest.trim();
  const modifiers: number[] = [];
  // Modifiers: `name(…)` possibly followed by ` with time zone` (timestamp(3) with time zone) or interval fields.
  const mod = /^((?:"(?:[^"]|"")*")|[^("]+?)\s*\(([^)]*)\)(.*)$/.exec(body);
  if (mod && !(mod[1] ?? '').startsWith('"')) {
    for (const part of (mod[2] ?? '').split(',')) {
      const n = Number(part.trim());
      if (part.trim() !== '' && Number.isFinite(n)) modifiers.push(n);
    }
    body = `${(mod[1] ?? '').trim()}${mod[3] ?? ''}`.trim();
  } else if (mod && (mod[1] ?? '').startsWith('"')) {
    for (const part of (mod[2] ?? '').split(',')) {
      const n = Number(part.trim());
      if (part.trim() !== '' && Number.isFinite(n)) modifiers.push(n);
    }
    body = (mod[1] ?? '').trim();
  }
  let canonical: string;
  let name: string;
  if (schema === null && body === '"char"') {
    name = '"char"';
    canonical = 'char';
  } else {
    name = unquoteIdent(body);
    if (schema === null || schema === 'pg_catalog') {
      const lower = name.toLowerCase();
      canonical = own(BUILTIN_ALIASES, lower) ?? (lower.startsWith('interval') ? 'interval' : name);
    } else {
      canonical = name;
    }
  }
  return { schema, name, canonical, modifiers, isArray };
}

/**
 * Built-in scalar types → TypeScript (the supabase-js conventions: int8/numeric are numbers, dates are strings).
 * Types not listed (tsvector, money, xml, bit, oid, geometric and range types, …) map to `unknown`, as the Supabase
 * CLI maps them; the network types (inet, cidr, macaddr) are strings here (PostgREST sends them as JSON strings)
 * where the CLI says `unknown`.
 */
export const PG_SCALAR_TS: Readonly<Record<string, string>> = Object.freeze({
  bool: 'boolean',
  int2: 'number',
  int4: 'number',
  int8: 'number',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  char: 'string',
  citext: 'string',
  uuid: 'string',
  bytea: 'string',
  date: 'string',
  time: 'string',
  timetz: 'string',
  timestamp: 'string',
  timestamptz: 'string',
  interval: 'string',
  inet: 'string',
  cidr: 'string',
  macaddr: 'string',
  macaddr8: 'string',
  vector: 'string',
  json: 'Json',
  jsonb: 'Json',
  void: 'undefined',
  record: 'Record<string, unknown>',
});

/** What a type name resolves to in a catalog. */
export type ResolvedPgType =
  | { kind: 'scalar'; ref: PgTypeRef; canonical: string }
  | { kind: 'enum'; ref: PgTypeRef; enum: EnumType }
  | { kind: 'domain'; ref: PgTypeRef; domain: DomainType; base: ResolvedPgType }
  | { kind: 'composite'; ref: PgTypeRef; composite: CompositeType }
  | { kind: 'table' | 'view'; ref: PgTypeRef; schema: string; name: string }
  | { kind: 'unknown'; ref: PgTypeRef };

/**
 * Resolves a `format_type` string against the catalog (array-ness is in `ref.isArray`; the kind is the element's).
 * User types are found by schema and name; an unqualified name is looked up in `public`, then in any schema.
 */
export function resolvePgType(typeText: string, catalog: Catalog): ResolvedPgType {
  const ref = parsePgType(typeText);
  return resolveRef(ref, catalog, 0);
}

function findIn<T extends { schema: string; name: string }>(list: T[], ref: PgTypeRef): T | undefined {
  if (ref.schema !== null) return list.find((x) => x.schema === ref.schema && x.name === ref.name);
  return list.find((x) => x.schema === 'public' && x.name === ref.name) ?? list.find((x) => x.name === ref.name);
}

function resolveRef(ref: PgTypeRef, catalog: Catalog, depth: number): ResolvedPgType {
  const builtin = ref.schema === null || ref.schema === 'pg_catalog';
  const scalar = own(PG_SCALAR_TS, ref.canonical) !== undefined;
  if (!builtin || !scalar) {
    const en = findIn(catalog.enums, ref);
    if (en) return { kind: 'enum', ref, enum: en };
    const dom = findIn(catalog.domains, ref);
    if (dom && depth < 16) {
      const baseRef = parsePgType(dom.baseType);
      return { kind: 'domain', ref, domain: dom, base: resolveRef(baseRef, catalog, depth + 1) };
    }
    const comp = findIn(catalog.composites, ref);
    if (comp) return { kind: 'composite', ref, composite: comp };
    const table = findIn(catalog.tables, ref);
    if (table) return { kind: 'table', ref, schema: table.schema, name: table.name };
    const view = findIn(catalog.views, ref) ?? findIn(catalog.materializedViews, ref);
    if (view) return { kind: 'view', ref, schema: view.schema, name: view.name };
  }
  // Extension types (citext, vector) live outside pg_catalog but map like built-ins.
  if (scalar) return { kind: 'scalar', ref, canonical: ref.canonical };
  return { kind: 'unknown', ref };
}

export interface PgToTsOptions {
  /**
   * Schemas that the generated `Database` type contains. Enums and composites in them are referenced as
   * `Database["s"]["Enums"]["e"]`; enums elsewhere are inlined as a union. Default: every schema.
   */
  schemas?: string[];
  /** `supabase` (default): `Database[…]` references; `union`: enums always inlined as `"a" | "b"`. */
  enumStyle?: 'supabase' | 'union';
  /** Name of the root type used in references. Default `Database`. */
  databaseName?: string;
  /** Per canonical type overrides: `{ timestamptz: 'Date', int8: 'string' }`. */
  overrides?: Readonly<Record<string, string>>;
  /** Custom renderer for enum references (wins over enumStyle). */
  enumRef?: (e: EnumType) => string;
  /** Custom renderer for composite references. */
  compositeRef?: (c: CompositeType) => string;
}

/** Union of an enum's labels in sort order: `"a" | "b"`. */
export function enumUnion(e: EnumType): string {
  return e.values.length === 0 ? 'never' : e.values.map(quoteString).join(' | ');
}

/** Maps a `format_type` string to a TypeScript type. Arrays become `T[]` (`(A | B)[]` for unions). */
export function pgToTs(typeText: string, catalog: Catalog, opts: PgToTsOptions = {}): string {
  const resolved = resolvePgType(typeText, catalog);
  const element = resolvedToTs(resolved, catalog, opts);
  return resolved.ref.isArray ? arrayOf(element) : element;
}

/** `T[]`, parenthesised when T has a top-level union, intersection or function arrow: `(A | B)[]`. */
export function arrayOf(ts: string): string {
  let depth = 0;
  for (let i = 0; i < ts.length; i++) {
    const ch = ts[i]!;
    if (ch === '"' || ch === "'") {
      const end = ts.indexOf(ch, i + 1);
      i = end < 0 ? ts.length : end;
    } else if ('([{<'.includes(ch)) depth++;
    else if (')]}>'.includes(ch) && !(ch === '>' && ts[i - 1] === '=')) depth--;
    else if (depth === 0 && (ch === '|' || ch === '&' || (ch === '=' && ts[i + 1] === '>'))) return `(${ts})[]`;
  }
  return `${ts}[]`;
}

function inSchemas(schema: string, opts: PgToTsOptions): boolean {
  return opts.schemas === undefined || opts.schemas.includes(schema);
}

function resolvedToTs(r: ResolvedPgType, catalog: Catalog, opts: PgToTsOptions): string {
  const db = opts.databaseName ?? 'Database';
  switch (r.kind) {
    case 'scalar':
      return own(opts.overrides, r.canonical) ?? own(PG_SCALAR_TS, r.canonical) ?? 'unknown';
    case 'enum':
      if (opts.enumRef) return opts.enumRef(r.enum);
      if (opts.enumStyle === 'union' || !inSchemas(r.enum.schema, opts)) return enumUnion(r.enum);
      return `${db}[${quoteString(r.enum.schema)}]["Enums"][${quoteString(r.enum.name)}]`;
    case 'domain': {
      const base = resolvedToTs(r.base, catalog, opts);
      return r.base.ref.isArray ? arrayOf(base) : base;
    }
    case 'composite':
      if (opts.compositeRef) return opts.compositeRef(r.composite);
      if (!inSchemas(r.composite.schema, opts)) return 'unknown';
      return `${db}[${quoteString(r.composite.schema)}]["CompositeTypes"][${quoteString(r.composite.name)}]`;
    case 'table':
      if (!inSchemas(r.schema, opts)) return 'unknown';
      return `${db}[${quoteString(r.schema)}]["Tables"][${quoteString(r.name)}]["Row"]`;
    case 'view':
      if (!inSchemas(r.schema, opts)) return 'unknown';
      return `${db}[${quoteString(r.schema)}]["Views"][${quoteString(r.name)}]["Row"]`;
    case 'unknown':
      return own(opts.overrides, r.ref.canonical) ?? 'unknown';
  }
}
