/**
 * Comparing catalogs: a readable list of differences, and a fingerprint.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from './model.js';

type Item = Record<string, unknown>;

/** How each top-level list names its objects in a difference. */
const TOP: Record<keyof Catalog, { label: string; key: (item: Item) => string }> = {
  schemas: { label: 'schema', key: (i) => ident(i.name) },
  extensions: { label: 'extension', key: (i) => ident(i.name) },
  enums: { label: 'enum', key: qualified },
  domains: { label: 'domain', key: qualified },
  composites: { label: 'composite type', key: qualified },
  tables: { label: 'table', key: qualified },
  views: { label: 'view', key: qualified },
  materializedViews: { label: 'materialized view', key: qualified },
  sequences: { label: 'sequence', key: qualified },
  functions: { label: 'function', key: (i) => `${qualified(i)}(${String(i.identityArgs)})` },
  triggers: { label: 'trigger', key: onTable },
  policies: { label: 'policy', key: onTable },
  publications: { label: 'publication', key: (i) => ident(i.name) },
};

/** Lists of objects inside an object, matched by key rather than by position (arguments are positional). */
const NESTED: Record<string, { label: string; key: (item: Item, index: number) => string }> = {
  columns: { label: 'column', key: (i) => ident(i.name) },
  constraints: { label: 'constraint', key: (i) => ident(i.name) },
  indexes: { label: 'index', key: (i) => ident(i.name) },
  checks: { label: 'check', key: (i) => ident(i.name) },
  attributes: { label: 'attribute', key: (i) => ident(i.name) },
  grants: { label: 'grant', key: (i) => `${String(i.privilege)} to ${ident(i.grantee)}` },
  arguments: { label: 'argument', key: (_, n) => `#${n + 1}` },
  tables: { label: 'table', key: (i) => `${ident(i.schema)}.${ident(i.table)}` },
};

/**
 * What differs from `a` to `b`, one line per difference, in catalog order; `[]` when they are the same. Meant for
 * people (test failures, `keel diff` summaries), not for generating migrations.
 *
 * @example
 * diffCatalogs(before, after);
 * // ['table public.tasks column due_date type: timestamp with time zone → text',
 * //  'policy public.tasks."owners read" removed']
 */
export function diffCatalogs(a: Catalog, b: Catalog): string[] {
  const out: string[] = [];
  for (const list of Object.keys(TOP) as (keyof Catalog)[]) {
    const { label, key } = TOP[list];
    diffKeyed(label, (i) => key(i), (a[list] ?? []) as unknown as Item[], (b[list] ?? []) as unknown as Item[], '', out);
  }
  return out;
}

/**
 * sha256 (hex) of the catalog's stable JSON: equal catalogs give equal fingerprints, whatever their key order.
 *
 * @example
 * catalogFingerprint(await readCatalog(engine)); // 64 hex digits, e.g. '9c0d…'
 */
export function catalogFingerprint(catalog: Catalog): string {
  return createHash('sha256').update(stableJson(catalog)).digest('hex');
}

/**
 * JSON with object keys sorted at every level (array order is kept: the catalog sorts its lists itself).
 *
 * @example
 * stableJson({ b: 1, a: [2, 1] }) // '{"a":[2,1],"b":1}'
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Item)[k]]),
        )
      : v,
  );
}

function diffKeyed(label: string, key: (item: Item, index: number) => string, a: Item[], b: Item[], prefix: string, out: string[]): void {
  const mapA = new Map(a.map((item, i) => [key(item, i), item]));
  const mapB = new Map(b.map((item, i) => [key(item, i), item]));
  for (const [k, itemA] of mapA) {
    const where = `${prefix}${label} ${k}`;
    const itemB = mapB.get(k);
    if (itemB === undefined) out.push(`${where} removed`);
    else diffObject(where, '', itemA, itemB, out);
  }
  for (const k of mapB.keys()) if (!mapA.has(k)) out.push(`${prefix}${label} ${k} added`);
}

/** Fields that only name the object (already in `where`) are skipped. */
const IDENTITY_FIELDS = new Set(['schema', 'name', 'table']);

function diffObject(where: string, path: string, a: Item, b: Item, out: string[]): void {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const field of fields) {
    if (path === '' && IDENTITY_FIELDS.has(field)) continue;
    const va = a[field];
    const vb = b[field];
    if (stableJson(va) === stableJson(vb)) continue;
    const fieldPath = path ? `${path}.${field}` : field;
    const nested = NESTED[field];
    if (nested && isObjectList(va) && isObjectList(vb)) {
      diffKeyed(nested.label, nested.key, va, vb, `${where} `, out);
    } else if (isPlainObject(va) && isPlainObject(vb)) {
      diffObject(where, fieldPath, va, vb, out);
    } else {
      out.push(`${where} ${fieldPath}: ${formatPair(va, vb)}`);
    }
  }
}

function isPlainObject(v: unknown): v is Item {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isObjectList(v: unknown): v is Item[] {
  return Array.isArray(v) && v.every(isPlainObject);
}

const LONG = 80;

/** Long texts (function bodies, view definitions) are cut to a window around their first difference. */
function formatPair(a: unknown, b: unknown): string {
  let fa = format(a);
  let fb = format(b);
  // Differences only in whitespace would vanish when it is collapsed: show those strings escaped instead.
  if (fa === fb) [fa, fb] = [JSON.stringify(a), JSON.stringify(b)];
  if (typeof a !== 'string' || typeof b !== 'string' || (fa.length <= LONG && fb.length <= LONG)) return `${fa} → ${fb}`;
  let i = 0;
  while (i < fa.length && fa[i] === fb[i]) i++;
  const from = Math.max(0, i - 20);
  const cut = (s: string) => `${from > 0 ? '…' : ''}${s.slice(from, from + LONG)}${s.length > from + LONG ? '…' : ''}`;
  return `${cut(fa)} → ${cut(fb)}`;
}

function format(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v.replace(/\s+/g, ' ').trim();
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return `[${v.map((x) => format(x)).join(', ')}]`;
  if (typeof v === 'object') return stableJson(v);
  return String(v as number | boolean | bigint);
}

function qualified(i: Item): string {
  return `${ident(i.schema)}.${ident(i.name)}`;
}

function onTable(i: Item): string {
  return `${ident(i.schema)}.${ident(i.table)}.${ident(i.name)}`;
}

/** Names print bare when they are plain identifiers, double-quoted otherwise (as SQL would need). */
function ident(v: unknown): string {
  const s = String(v);
  return /^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`;
}
