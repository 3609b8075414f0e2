/**
 * Zod (v4) schemas from the catalog (seed 004 style): per table `XRowSchema`, `XInsertSchema`, `XUpdateSchema`, their
 * inferred types `XRow`, `XInsert`, `XUpdate`, and `validateX` / `validateXInsert` / `validateXUpdate` helpers that
 * return `{ ok: true, value }` or `{ ok: false, error }` with each issue prefixed by its field path
 * (`name: Too big: expected string to have <=255 characters`).
 *
 * The schemas describe the JSON shape supabase-js / PostgREST send and receive (what `to_jsonb(row)` gives):
 * - timestamps and dates are strings in the forms Postgres prints (`2024-01-02T10:00:00.123+00:00`, also with a
 *   space, `infinity`, `BC`); time, interval, inet, bytea, … are plain strings;
 * - uuid → `z.guid()` (any 8-4-4-4-12 hex, as Postgres accepts; zod 4's `z.uuid()` would reject the
 *   `00000000-…-000000000001` ids seeds use); int2/int4 → `z.number().int()` with the type's range; int8 → integer
 *   number; numeric/real/double → `z.number()`; json/jsonb → `z.json()`; enums → `z.enum([...])`; arrays →
 *   `z.array()`; domains → their base type plus their simple CHECKs; composite and unknown types → `z.unknown()`;
 * - varchar(n) / char(n) → `.max(n)`; simple CHECK constraints (see `zod-checks.ts`) → `.min/.max/.gt/.lt` or
 *   `z.enum`; the others are listed in a comment above the table;
 * - Row: every column, nullable → `.nullable()`, unknown keys stripped (`z.object`);
 * - Insert: generated and identity ALWAYS columns omitted; columns with a default, nullable or identity BY DEFAULT
 *   optional; unknown keys rejected (`z.strictObject`), so writing a generated column fails;
 * - Update: like Insert with every field optional;
 * - a table with a column named like an Object.prototype member (`constructor`, `toString`, `__proto__`) parses an
 *   own-property copy of its input (Zod reads a missing key from the prototype: `{}.constructor` is `Object`); Zod
 *   ignores a `__proto__` shape key, so such a column is validated under the `PROTO` symbol and put back as an own
 *   `__proto__` property of the output (`XRow` has it as `__proto__`).
 *
 * @example
 * const text = renderZodSchemas(catalog, { schemas: ['public'] });
 * // export const TaskInsertSchema = z.strictObject({ name: z.string().max(255), status: TaskStatusSchema.optional(), … });
 */
import type { Catalog, Column, DomainType, EnumType, Table } from '../../core/catalog/index.js';
import { assignNames } from './camel-names.js';
import { mergeChecks, parseSimpleCheck, type SimpleCheck } from './zod-checks.js';
import { commentText, isPrototypeMember, literalKey, quoteString, resolvePgType, type ResolvedPgType } from './ts-names.js';

export interface ZodSchemasOptions {
  /** Schemas whose tables (and enums) are emitted. Enums used by those tables are emitted wherever they live. */
  schemas: string[];
}

const INT_RANGES: Record<string, [number, number]> = {
  int2: [-32768, 32767],
  int4: [-2147483648, 2147483647],
  oid: [0, 4294967295],
};
const NUMBERS = new Set(['int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric']);
const STRINGS = new Set(['text', 'varchar', 'bpchar', 'char', 'name', 'citext']);
/** Built-ins that PostgREST sends as JSON strings although the type map may call them unknown. */
const TEXTUAL = new Set([
  'name',
  'money',
  'xml',
  'bit',
  'varbit',
  'tsvector',
  'tsquery',
  'time',
  'timetz',
  'interval',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'bytea',
  'int4range',
  'int8range',
  'numrange',
  'tsrange',
  'tstzrange',
  'daterange',
]);

/** Shared primitives the file declares when a column needs them. */
const HELPERS: Record<string, string> = {
  pgTimestamp:
    "const pgTimestamp = z.string().regex(/^(?:-?infinity|\\d{4,}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)?(?: BC)?)$/, { error: 'Invalid timestamp' });",
  pgDate: "const pgDate = z.string().regex(/^(?:-?infinity|\\d{4,}-\\d{2}-\\d{2}(?: BC)?)$/, { error: 'Invalid date' });",
  ownProps: `/**
 * Input of tables with columns named like Object.prototype members: an own-property copy without a prototype, so a
 * missing \`constructor\` is missing, with \`__proto__\` under PROTO when the table has such a column (Zod skips it).
 */
const PROTO = Symbol('__proto__');
function ownProps(data: unknown, protoColumn: boolean): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const copy: Record<PropertyKey, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(data)) copy[protoColumn && key === '__proto__' ? PROTO : key] = value;
  return copy;
}`,
  withProto: `/** Output of tables with a \`__proto__\` column: the PROTO value back as an own \`__proto__\` property. */
type WithProto<T> = { [K in keyof T as K extends typeof PROTO ? '__proto__' : K]: T[K] };
function withProto<T extends object>(value: T): WithProto<T> {
  const out: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(value)) {
    const v: unknown = (value as Record<PropertyKey, unknown>)[key];
    if (key === PROTO) Object.defineProperty(out, '__proto__', { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as WithProto<T>;
}`,
};

interface Ctx {
  catalog: Catalog;
  enumName: (e: EnumType) => string;
  helpers: Set<string>;
}

/** The base scalar a type ends in, through domains; plus the domains' simple checks. */
function unwrap(r: ResolvedPgType): { base: ResolvedPgType; domains: DomainType[] } {
  const domains: DomainType[] = [];
  let base = r;
  while (base.kind === 'domain') {
    domains.push(base.domain);
    base = base.base;
  }
  return { base, domains };
}

function list(values: string[]): string {
  return `[${values.map(quoteString).join(', ')}]`;
}

function num(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

/** Zod expression for one (non-array) value of a resolved type, with the checks that apply to it. */
function scalarZod(r: ResolvedPgType, check: SimpleCheck | null, ctx: Ctx): string {
  if (r.kind === 'enum') {
    if (check?.values) return `z.enum(${list(r.enum.values.filter((v) => check.values?.includes(v)))})`;
    return `${ctx.enumName(r.enum)}Schema`;
  }
  const builtin = r.ref.schema === null || r.ref.schema === 'pg_catalog';
  const t = r.kind === 'scalar' ? r.canonical : r.kind === 'unknown' && builtin ? r.ref.canonical : null;
  if (t === null) return 'z.unknown()';
  if (t === 'bool') return 'z.boolean()';
  if (NUMBERS.has(t)) {
    const range = INT_RANGES[t];
    const isInt = range !== undefined || t === 'int8';
    let min = range?.[0];
    let max = range?.[1];
    if (check?.bounds.min !== undefined) min = min === undefined ? check.bounds.min : Math.max(min, check.bounds.min);
    if (check?.bounds.max !== undefined) max = max === undefined ? check.bounds.max : Math.min(max, check.bounds.max);
    const gt = check?.bounds.gt;
    const lt = check?.bounds.lt;
    if (gt !== undefined && min !== undefined && min <= gt) min = undefined;
    if (lt !== undefined && max !== undefined && max >= lt) max = undefined;
    let out = isInt ? 'z.number().int()' : 'z.number()';
    if (min !== undefined) out += `.min(${num(min)})`;
    if (gt !== undefined) out += `.gt(${num(gt)})`;
    if (max !== undefined) out += `.max(${num(max)})`;
    if (lt !== undefined) out += `.lt(${num(lt)})`;
    return out;
  }
  if (STRINGS.has(t)) {
    if (check?.values) return `z.enum(${list(check.values)})`;
    let max = (t === 'varchar' || t === 'bpchar') && r.ref.modifiers[0] !== undefined ? r.ref.modifiers[0] : undefined;
    if (t === 'char' && max === undefined) max = 1;
    if (check?.length.max !== undefined) max = max === undefined ? check.length.max : Math.min(max, check.length.max);
    let out = 'z.string()';
    if (check?.length.min !== undefined) out += `.min(${check.length.min})`;
    if (max !== undefined) out += `.max(${max})`;
    return out;
  }
  if (t === 'uuid') return 'z.guid()';
  if (t === 'json' || t === 'jsonb') return 'z.json()';
  if (t === 'timestamp' || t === 'timestamptz') {
    ctx.helpers.add('pgTimestamp');
    return 'pgTimestamp';
  }
  if (t === 'date') {
    ctx.helpers.add('pgDate');
    return 'pgDate';
  }
  if (r.kind === 'scalar' ? t === 'void' || t === 'record' : !TEXTUAL.has(t)) return 'z.unknown()';
  return 'z.string()';
}

/** Whether a check's kind fits the column's base type (numbers get bounds, strings get lengths and value lists). */
function applies(check: SimpleCheck, base: ResolvedPgType): boolean {
  const hasBounds = Object.keys(check.bounds).length > 0;
  const hasLength = Object.keys(check.length).length > 0;
  if (base.kind === 'enum') return !hasBounds && !hasLength && check.values !== undefined;
  const builtin = base.ref.schema === null || base.ref.schema === 'pg_catalog';
  const t = base.kind === 'scalar' ? base.canonical : base.kind === 'unknown' && builtin ? base.ref.canonical : '';
  if (NUMBERS.has(t)) return !hasLength && check.values === undefined;
  if (STRINGS.has(t)) return !hasBounds;
  return false;
}

interface ColumnZod {
  column: Column;
  expr: string;
  nullable: boolean;
  hasDefault: boolean;
}

function columnZod(column: Column, tableCheck: SimpleCheck | null, ctx: Ctx): ColumnZod {
  const resolved = resolvePgType(column.type, ctx.catalog);
  const { base, domains } = unwrap(resolved);
  const isArray = resolved.ref.isArray || domains.some((d) => resolvePgType(d.baseType, ctx.catalog).ref.isArray);
  let check: SimpleCheck | null = null;
  const add = (c: SimpleCheck | null) => {
    if (c && applies(c, base)) check = check ? mergeChecks(check, c) : c;
  };
  // Domain checks hold for every element; a column check on an array column is not one of the simple forms.
  for (const d of domains) for (const c of d.checks) add(parseSimpleCheck(c.definition));
  if (!isArray) add(tableCheck);
  const element = scalarZod(base, check, ctx);
  return {
    column,
    expr: isArray ? `z.array(${element})` : element,
    nullable: column.nullable && !domains.some((d) => d.notNull),
    hasDefault: column.default !== null || domains.some((d) => d.default !== null),
  };
}

function tableBlock(t: Table, name: string, ctx: Ctx): string {
  const perColumn = new Map<string, SimpleCheck>();
  const skipped: string[] = [];
  const columns = new Map(t.columns.map((c) => [c.name, c]));
  for (const k of t.constraints.filter((c) => c.type === 'c')) {
    const parsed = k.enforced ? parseSimpleCheck(k.definition) : null;
    const col = parsed ? columns.get(parsed.column) : undefined;
    const base = col ? unwrap(resolvePgType(col.type, ctx.catalog)).base : null;
    if (!parsed || !col || !base || resolvePgType(col.type, ctx.catalog).ref.isArray || !applies(parsed, base)) {
      skipped.push(`${k.name}: ${k.definition.replace(/\s+/g, ' ')}`);
      continue;
    }
    const prev = perColumn.get(parsed.column);
    perColumn.set(parsed.column, prev ? mergeChecks(prev, parsed) : parsed);
  }
  const cols = [...t.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => columnZod(c, perColumn.get(c.name) ?? null, ctx));
  const writable = cols.filter((c) => c.column.generated === null && c.column.identity !== 'a');
  const guarded = cols.some((c) => isPrototypeMember(c.column.name));
  const protoColumn = cols.some((c) => c.column.name === '__proto__');
  if (guarded) ctx.helpers.add('ownProps');
  if (protoColumn) ctx.helpers.add('withProto');
  const lines: string[] = [`// ${commentText(`${t.schema}.${t.name}`)}`];
  const key = (c: ColumnZod) => (c.column.name === '__proto__' ? '[PROTO]' : literalKey(c.column.name));
  /** `export const X = z.object({…});`, wrapped for own properties (and `__proto__`) when the table needs it. */
  const declare = (exported: string, fn: 'object' | 'strictObject', members: string[]) => {
    const open = guarded ? `z.preprocess((data) => ownProps(data, ${protoColumn}), z.${fn}({` : `z.${fn}({`;
    const close = !guarded ? '})' : protoColumn ? '})).transform(withProto)' : '}))';
    lines.push(`export const ${exported} = ${open}`, ...members.map((m) => `  ${m},`), `${close};`);
  };
  if (skipped.length > 0) {
    lines.push('// CHECK constraints left to the database (not simple enough to map):');
    for (const s of skipped) lines.push(`//   ${commentText(s)}`);
  }
  declare(
    `${name}RowSchema`,
    'object',
    cols.map((c) => `${key(c)}: ${c.expr}${c.nullable ? '.nullable()' : ''}`),
  );
  lines.push(`export type ${name}Row = z.infer<typeof ${name}RowSchema>;`, '');
  declare(
    `${name}InsertSchema`,
    'strictObject',
    writable.map((c) => {
      const optional = c.nullable || c.hasDefault || c.column.identity === 'd';
      return `${key(c)}: ${c.expr}${c.nullable ? '.nullable()' : ''}${optional ? '.optional()' : ''}`;
    }),
  );
  lines.push(`export type ${name}Insert = z.infer<typeof ${name}InsertSchema>;`, '');
  declare(
    `${name}UpdateSchema`,
    'strictObject',
    writable.map((c) => `${key(c)}: ${c.expr}${c.nullable ? '.nullable()' : ''}.optional()`),
  );
  lines.push(`export type ${name}Update = z.infer<typeof ${name}UpdateSchema>;`, '');
  lines.push(`export function validate${name}(data: unknown): ValidationResult<${name}Row> {`);
  lines.push(`  return validateWith(${name}RowSchema, data);`, '}');
  lines.push(`export function validate${name}Insert(data: unknown): ValidationResult<${name}Insert> {`);
  lines.push(`  return validateWith(${name}InsertSchema, data);`, '}');
  lines.push(`export function validate${name}Update(data: unknown): ValidationResult<${name}Update> {`);
  lines.push(`  return validateWith(${name}UpdateSchema, data);`, '}');
  return lines.join('\n');
}

const PRELUDE = `export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A path segment as text (a symbol by its description: PROTO is \`__proto__\`). */
function pathKey(key: PropertyKey): string {
  return typeof key === 'symbol' ? (key.description ?? '') : String(key);
}

/** Parses with a schema; the error lists every issue as \`path: message\` (path joined with dots), separated by "; ". */
function validateWith<T>(schema: z.ZodType<T>, data: unknown): ValidationResult<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const error = result.error.issues
    .map((issue) => (issue.path.length > 0 ? \`\${issue.path.map(pathKey).join('.')}: \${issue.message}\` : issue.message))
    .join('; ');
  return { ok: false, error };
}`;

/** Renders the Zod schemas module for the tables of `opts.schemas`. Pure and deterministic. */
export function renderZodSchemas(catalog: Catalog, opts: ZodSchemasOptions): string {
  const names = assignNames(catalog, opts.schemas);
  const ctx: Ctx = { catalog, enumName: names.enumName, helpers: new Set() };
  const enums = names.enums.map(
    (e) => `/** Enum \`${commentText(`${e.schema}.${e.name}`)}\`. */\nexport const ${names.enumName(e)}Schema = z.enum(${list(e.values)});`,
  );
  const tables = names.tables.map((t) => tableBlock(t, names.table(t), ctx));
  const helpers = [...ctx.helpers].sort().map((h) => HELPERS[h] ?? '');
  const oneLiners = helpers.filter((h) => !h.includes('\n'));
  const blocks = [
    [
      '// Generated by keel from the database catalog (Zod schemas). Do not edit by hand.',
      `// Schemas: ${commentText(opts.schemas.join(', '))}`,
      "import { z } from 'zod';",
    ].join('\n'),
    PRELUDE,
    ...(oneLiners.length > 0 ? [oneLiners.join('\n')] : []),
    ...helpers.filter((h) => h.includes('\n')),
    ...enums,
    ...tables,
  ];
  return `${blocks.join('\n\n')}\n`;
}
