/**
 * Naming shared by the camelCase and Zod generators: PascalCase singular type names for tables (`team_members` →
 * `TeamMember`), camelCase field names (`full_name` → `fullName`), UPPER_SNAKE enum keys (`in_progress` →
 * `IN_PROGRESS`), and a collision-free assignment of names over a whole catalog.
 *
 * @example
 * singularize('workflow_versions'); // 'workflow_version'
 * pascalCase('team_members');       // 'TeamMembers'
 * camelCase('last_login');          // 'lastLogin'
 * enumKey('in-progress');           // 'IN_PROGRESS'
 * fieldNames(['user_id', 'userId']); // ['user_id', 'userId']
 */
import type { Catalog, EnumType, Table } from '../../core/catalog/index.js';
import { quoteKey, quoteString, resolvePgType } from './ts-names.js';

/** Singular of the last word: `ies` → `y`, `sses` → `ss`, trailing `s` dropped unless the word ends in ss, us or is. */
export function singularize(name: string): string {
  const m = /^(.*?)([A-Za-z]+)$/.exec(name);
  if (!m) return name;
  const head = m[1] ?? '';
  const word = m[2] ?? '';
  const lower = word.toLowerCase();
  if (lower.endsWith('ies') && word.length > 3) return `${head}${word.slice(0, -3)}${word.endsWith('IES') ? 'Y' : 'y'}`;
  if (lower.endsWith('sses')) return `${head}${word.slice(0, -2)}`;
  if (lower.endsWith('s') && !/(ss|us|is)$/.test(lower) && word.length > 1) return `${head}${word.slice(0, -1)}`;
  return name;
}

function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
}

function safeIdent(ident: string, fallback: string): string {
  if (ident === '') return fallback;
  return /^[0-9]/.test(ident) ? `_${ident}` : ident;
}

/** `team_members` → `TeamMembers`; any non-alphanumeric character separates words. */
export function pascalCase(name: string): string {
  return safeIdent(
    words(name)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    'Unnamed',
  );
}

/** `full_name` → `fullName`; the first word keeps its case (`URL_path` → `URLPath`), leading underscores are kept. */
export function camelCase(name: string): string {
  const lead = /^_*/.exec(name)?.[0] ?? '';
  const parts = name.slice(lead.length).split('_');
  if (parts.some((p) => p === '')) return name;
  const [first = '', ...rest] = parts;
  return lead + first + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** A const-object key for an enum label: `in_progress` → `IN_PROGRESS`, `past due` → `PAST_DUE`, `1st` → `_1ST`. */
export function enumKey(value: string): string {
  const key = value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .join('_')
    .toUpperCase();
  return safeIdent(key, 'EMPTY');
}

/** Names a generated file must never declare (globals used by the generated code, and its own helpers). */
const RESERVED = new Set([
  'Array',
  'Boolean',
  'Date',
  'Error',
  'Function',
  'JSON',
  'Json',
  'Map',
  'Math',
  'Number',
  'Object',
  'Partial',
  'Promise',
  'PropertyKey',
  'Readonly',
  'Record',
  'Reflect',
  'RegExp',
  'Set',
  'String',
  'Symbol',
  'ValidationResult',
  'validateWith',
  'pathKey',
  'PROTO',
  'WithProto',
  'ownProps',
  'withProto',
  'pgDate',
  'pgTimestamp',
  'z',
]);

/** Table names are derived into these (`User` → `UserRow`, `toUser`, `UserInsertSchema`, …). */
function tableDerived(base: string): string[] {
  return [
    base,
    `${base}Row`,
    `${base}Insert`,
    `${base}Update`,
    `${base}RowSchema`,
    `${base}InsertSchema`,
    `${base}UpdateSchema`,
    `to${base}`,
    `from${base}`,
    `validate${base}`,
    `validate${base}Insert`,
    `validate${base}Update`,
  ];
}

function enumDerived(base: string): string[] {
  return [base, `${base}Schema`];
}

/** Names of the enums and tables a generator emits, free of collisions with each other and with globals. */
export interface TypegenNames {
  /** Tables emitted, in output order (schema, then name), partitions left out (their parent covers them). */
  tables: Table[];
  /** Enums emitted: those in the schemas and any enum a column of an emitted table uses; in output order. */
  enums: EnumType[];
  // Properties, not methods: generators pass them around as plain functions (`names.enumName`).
  table: (t: Table) => string;
  enumName: (e: EnumType) => string;
}

const keyOf = (x: { schema: string; name: string }) => `${x.schema}.${x.name}`;

function byName(a: { schema: string; name: string }, b: { schema: string; name: string }): number {
  return a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Assigns names. Candidates in turn: the plain name (`User`), prefixed with the schema (`AuthUser`), then numbered
 * (`User2`). Entities in earlier `schemas` win the plain name; enums are named before tables.
 */
export function assignNames(catalog: Catalog, schemas: string[]): TypegenNames {
  const rank = (s: string) => {
    const i = schemas.indexOf(s);
    return i < 0 ? schemas.length : i;
  };
  const order = <T extends { schema: string; name: string }>(a: T, b: T) => rank(a.schema) - rank(b.schema) || byName(a, b);
  const tables = catalog.tables.filter((t) => schemas.includes(t.schema) && t.partitionOf === null).sort(byName);
  const enumKeys = new Set(catalog.enums.filter((e) => schemas.includes(e.schema)).map(keyOf));
  for (const t of tables) {
    for (const c of t.columns) {
      let r = resolvePgType(c.type, catalog);
      while (r.kind === 'domain') r = r.base;
      if (r.kind === 'enum') enumKeys.add(keyOf(r.enum));
    }
  }
  const enums = catalog.enums.filter((e) => enumKeys.has(keyOf(e))).sort(byName);
  const used = new Set(RESERVED);
  const names = new Map<string, string>();
  const claim = (id: string, schema: string, base: string, derive: (b: string) => string[]) => {
    const candidates = [base, pascalCase(`${schema}_${base}`)];
    for (let n = 0; ; n++) {
      const pick = candidates[n] ?? `${base}${n}`;
      const all = derive(pick);
      if (all.every((x) => !used.has(x))) {
        for (const x of all) used.add(x);
        names.set(id, pick);
        return;
      }
    }
  };
  for (const e of [...enums].sort(order)) claim(`e:${keyOf(e)}`, e.schema, pascalCase(e.name), enumDerived);
  for (const t of [...tables].sort(order)) claim(`t:${keyOf(t)}`, t.schema, pascalCase(singularize(t.name)), tableDerived);
  return {
    tables,
    enums,
    table: (t) => names.get(`t:${keyOf(t)}`) ?? pascalCase(singularize(t.name)),
    enumName: (e) => names.get(`e:${keyOf(e)}`) ?? pascalCase(e.name),
  };
}

/**
 * Field names of a table's columns (in the order given), never two alike. A column that camelCase leaves unchanged
 * (`userId`, `id`, `__proto__`) keeps its name; any other takes its camelCase name unless another column already
 * has that field (its own name, or an earlier column's camelCase), and then keeps its column name: `user_id` next to
 * `userId` stays `user_id`. (A column name that camelCase changes has an underscore after another character, which no
 * camelCase name has, so the fallback is always free.)
 */
export function fieldNames(columns: readonly string[]): string[] {
  const taken = new Set(columns.filter((c) => camelCase(c) === c));
  return columns.map((c) => {
    const camel = camelCase(c);
    if (camel === c || taken.has(camel)) return c;
    taken.add(camel);
    return camel;
  });
}

/** `obj.key`, or `obj["my-key"]` when the key is not an identifier. */
export function access(obj: string, key: string): string {
  return quoteKey(key) === key ? `${obj}.${key}` : `${obj}[${quoteString(key)}]`;
}
