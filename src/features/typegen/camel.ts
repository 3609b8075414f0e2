/**
 * camelCase TypeScript types from the catalog (seed 000 style): per enum a string union and a const object, per
 * table a camelCase interface, its snake_case row type (the JSON shape supabase-js returns) and typed mappers.
 *
 * Conventions:
 * - a table's name is PascalCase and singular: `team_members` → `TeamMember` (see `singularize`);
 * - nullable columns are optional *and* nullable in the interface: `lastLogin?: Date | null` (`toX` always sets the
 *   key, to `null` when the row has null; `fromX` accepts both), and `| null` in the row type;
 * - `timestamp`, `timestamptz` and `date` are `Date` in the interface, ISO strings in the row; `timestamp` without
 *   time zone is read and written as UTC (`…T10:00:00` ↔ `…T10:00:00.000Z`), `date` as `YYYY-MM-DD`;
 * - other types as supabase-js: int8/numeric → number, json/jsonb → `Json`, uuid/time/interval → string;
 * - field names: see `fieldNames` (a column keeps its own name when its camelCase is another column's field);
 * - a table with a column or field named like an Object.prototype member (`__proto__`, `constructor`, `toString`)
 *   has mappers that read only own properties (a null-prototype copy) and write `__proto__` as an own key.
 *
 * Output is deterministic: enums then tables, each sorted by schema and name; fields in column order.
 *
 * @example
 * const text = renderCamelTypes(catalog, { schemas: ['public'] });
 * // export const UserRole = { ADMIN: 'admin', MANAGER: 'manager', MEMBER: 'member' } as const;
 * // export interface User { id: string; fullName: string; createdAt: Date; lastLogin?: Date | null; … }
 * // export function toUser(row: UserRow): User { … }
 */
import type { Catalog, Column, EnumType, Table } from '../../core/catalog/index.js';
import { access, assignNames, enumKey, fieldNames } from './camel-names.js';
import {
  arrayOf,
  commentText,
  enumUnion,
  isPrototypeMember,
  literalKey,
  pgToTs,
  quoteKey,
  quoteString,
  resolvePgType,
} from './ts-names.js';

export interface CamelTypesOptions {
  /** Schemas whose tables (and enums) are emitted. Enums used by those tables are emitted wherever they live. */
  schemas: string[];
}

type DateKind = 'timestamptz' | 'timestamp' | 'date';

interface Field {
  column: Column;
  camel: string;
  rowType: string;
  camelType: string;
  dateKind: DateKind | null;
  isArray: boolean;
}

const DATE_OVERRIDES = { timestamptz: 'Date', timestamp: 'Date', date: 'Date' } as const;

/** Whether a column holds dates (directly or through domains), and whether it is an array of them. */
function dateInfo(type: string, catalog: Catalog): { kind: DateKind | null; isArray: boolean } {
  let r = resolvePgType(type, catalog);
  let isArray = r.ref.isArray;
  while (r.kind === 'domain') {
    r = r.base;
    isArray = isArray || r.ref.isArray;
  }
  const kind = r.kind === 'scalar' && r.canonical in DATE_OVERRIDES ? (r.canonical as DateKind) : null;
  return { kind, isArray };
}

function enumBlock(e: EnumType, name: string): string {
  const keys = new Set<string>();
  const entries = e.values.map((v) => {
    let k = enumKey(v);
    for (let n = 2; keys.has(k); n++) k = `${enumKey(v)}_${n}`;
    keys.add(k);
    return `  ${quoteKey(k)}: ${quoteString(v)},`;
  });
  return [
    `/** Enum \`${commentText(`${e.schema}.${e.name}`)}\`. */`,
    `export type ${name} = ${enumUnion(e)};`,
    `export const ${name} = {`,
    ...entries,
    `} as const satisfies Record<string, ${name}>;`,
  ].join('\n');
}

/** `new Date(x)` for one value of a date column (`expr` is a string). */
function parseDate(kind: DateKind, expr: string): string {
  return kind === 'timestamp' ? `new Date(${expr} + 'Z')` : `new Date(${expr})`;
}

/** The ISO string of a Date for a date column. */
function formatDate(kind: DateKind, expr: string): string {
  if (kind === 'timestamp') return `${expr}.toISOString().slice(0, -1)`;
  if (kind === 'date') return `${expr}.toISOString().slice(0, 10)`;
  return `${expr}.toISOString()`;
}

function convert(f: Field, expr: string, direction: 'to' | 'from'): string {
  const kind = f.dateKind;
  if (kind === null) return expr;
  const one = (x: string) => (direction === 'to' ? parseDate(kind, x) : formatDate(kind, x));
  const value = f.isArray ? `${expr}.map((v) => ${one('v')})` : one(expr);
  return f.column.nullable ? `${expr} === null ? null : ${value}` : value;
}

function tableBlock(t: Table, name: string, catalog: Catalog, enumName: (e: EnumType) => string): string {
  const tsOpts = { schemas: [] as string[], enumRef: enumName, compositeRef: () => 'unknown' };
  const columns = [...t.columns].sort((a, b) => a.ordinal - b.ordinal);
  const camels = fieldNames(columns.map((c) => c.name));
  const fields: Field[] = columns.map((column, i) => {
    const info = dateInfo(column.type, catalog);
    let camelType = pgToTs(column.type, catalog, tsOpts);
    if (info.kind !== null) camelType = info.isArray ? arrayOf('Date') : 'Date';
    return {
      column,
      camel: camels[i]!,
      rowType: pgToTs(column.type, catalog, tsOpts),
      camelType,
      dateKind: info.kind,
      isArray: info.isArray,
    };
  });
  // Keys a plain object inherits (`constructor`) or whose assignment sets the prototype (`__proto__`): the mappers
  // read a null-prototype copy of their argument and build the row on a null-prototype object, spread at the end.
  const guarded = fields.some((f) => isPrototypeMember(f.column.name) || isPrototypeMember(f.camel));
  const label = commentText(`${t.schema}.${t.name}`);
  const nul = (f: Field, ts: string) => (f.column.nullable ? `${ts} | null` : ts);
  const lines: string[] = [];
  lines.push(`/** \`${label}\`, camelCase. */`);
  lines.push(`export interface ${name} {`);
  for (const f of fields) lines.push(`  ${quoteKey(f.camel)}${f.column.nullable ? '?' : ''}: ${nul(f, f.camelType)};`);
  lines.push('}', '');
  lines.push(`/** A row of \`${label}\` as supabase-js returns it (snake_case, dates as ISO strings). */`);
  lines.push(`export interface ${name}Row {`);
  for (const f of fields) lines.push(`  ${quoteKey(f.column.name)}: ${nul(f, f.rowType)};`);
  lines.push('}', '');
  lines.push(`export function to${name}(row: ${name}Row): ${name} {`);
  const rowSrc = guarded ? 'src' : 'row';
  if (guarded) lines.push(`  const src: ${name}Row = Object.assign(Object.create(null), row);`);
  lines.push('  return {');
  for (const f of fields) lines.push(`    ${literalKey(f.camel)}: ${convert(f, access(rowSrc, f.column.name), 'to')},`);
  lines.push('  };', '}', '');
  lines.push(`export function from${name}(value: Partial<${name}>): Partial<${name}Row> {`);
  const valueSrc = guarded ? 'src' : 'value';
  if (guarded) lines.push(`  const src: Partial<${name}> = Object.assign(Object.create(null), value);`);
  lines.push(`  const row: Partial<${name}Row> = ${guarded ? 'Object.create(null)' : '{}'};`);
  for (const f of fields) {
    const src = access(valueSrc, f.camel);
    lines.push(`  if (${src} !== undefined) ${access('row', f.column.name)} = ${convert(f, src, 'from')};`);
  }
  lines.push(guarded ? '  return { ...row };' : '  return row;', '}');
  return lines.join('\n');
}

/** Renders the camelCase types module for the tables of `opts.schemas`. Pure and deterministic. */
export function renderCamelTypes(catalog: Catalog, opts: CamelTypesOptions): string {
  const names = assignNames(catalog, opts.schemas);
  const blocks: string[] = [
    [
      '// Generated by keel from the database catalog (camelCase types). Do not edit by hand.',
      `// Schemas: ${commentText(opts.schemas.join(', '))}`,
    ].join('\n'),
    'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];',
  ];
  for (const e of names.enums) blocks.push(enumBlock(e, names.enumName(e)));
  for (const t of names.tables) blocks.push(tableBlock(t, names.table(t), catalog, names.enumName));
  return `${blocks.join('\n\n')}\n`;
}
