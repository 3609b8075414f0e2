/**
 * `Relationships` of tables and views as the Supabase CLI lists them (PostgREST's schema cache): every foreign key of
 * a table in an exported schema; then, through views whose columns carry all of a key's columns (traced through
 * views, see view-lineage.ts), the same foreign key from the view (view → table), to the view (table → view) and
 * between views. A relation lists those whose target is in its own schema. `isOneToOne` says the foreign key's
 * columns, in key order, are exactly a primary key or unique constraint of the table (in column order).
 *
 * @example
 * relationshipsOf(index, 'public', 'posts'); // [{ name: 'posts_author_id_fkey', columns: ['author_id'], … }]
 */
import type { Catalog } from '../../core/catalog/index.js';
import type { TypegenFacts, TypegenKey } from '../../core/catalog/read-typegen.js';
import { viewColumnOrigins } from './view-lineage.js';

export interface Relationship {
  name: string;
  schema: string;
  relation: string;
  columns: string[];
  oneToOne: boolean;
  refSchema: string;
  refRelation: string;
  refColumns: string[];
}

export type RelationshipIndex = Map<string, Relationship[]>;

const keyOf = (schema: string, relation: string) => `${schema}\0${relation}`;

/** Relationships of one relation whose target is in the same schema. */
export function relationshipsOf(index: RelationshipIndex, schema: string, relation: string): Relationship[] {
  return (index.get(keyOf(schema, relation)) ?? []).filter((r) => r.refSchema === schema);
}

function indexBy(list: Relationship[]): RelationshipIndex {
  const out: RelationshipIndex = new Map();
  for (const r of list) {
    const k = keyOf(r.schema, r.relation);
    const l = out.get(k);
    if (l) l.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** From the catalog alone (no view lineage): the foreign keys of the exported tables. */
function fromCatalog(catalog: Catalog, schemas: string[]): Relationship[] {
  return catalog.tables
    .filter((t) => schemas.includes(t.schema))
    .flatMap((t) => {
      const ordinal = new Map(t.columns.map((c) => [c.name, c.ordinal]));
      const keys = t.constraints
        .filter((c) => c.type === 'p' || c.type === 'u')
        .map((c) => [...c.columns].sort((a, b) => (ordinal.get(a) ?? 0) - (ordinal.get(b) ?? 0)).join('\0'));
      return t.constraints
        .filter((c) => c.type === 'f' && c.references !== null)
        .map((fk) => ({
          name: fk.name,
          schema: t.schema,
          relation: t.name,
          columns: fk.columns,
          oneToOne: keys.includes(fk.columns.join('\0')),
          refSchema: fk.references!.schema,
          refRelation: fk.references!.table,
          refColumns: fk.references!.columns,
        }));
    });
}

/** Every combination picking one view column per key column: `[[a, b], [c]]` → `[[a, c], [b, c]]`. */
function combinations(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}

interface KeyThroughView {
  viewSchema: string;
  viewName: string;
  /** Per key column (in key order) the view columns showing it. */
  viewColumns: string[][];
}

function fromFacts(facts: TypegenFacts, schemas: string[]): Relationship[] {
  const keysByRel = new Map<number, TypegenKey[]>();
  for (const k of facts.keys) {
    const l = keysByRel.get(k.rel);
    if (l) l.push(k);
    else keysByRel.set(k.rel, [k]);
  }
  const isOneToOne = (fk: TypegenKey) => {
    const cols = fk.columns.map(([, n]) => n).join('\0');
    return (keysByRel.get(fk.rel) ?? [])
      .filter((k) => k.type === 'p' || k.type === 'u')
      .some(
        (k) =>
          [...k.columns]
            .sort((a, b) => a[0] - b[0])
            .map(([, n]) => n)
            .join('\0') === cols,
      );
  };
  const fks = facts.keys.filter((k) => k.type === 'f' && !k.inherited && k.refSchema !== null && k.refTable !== null);
  const base = (fk: TypegenKey): Relationship => ({
    name: fk.name,
    schema: fk.schema,
    relation: fk.table,
    columns: fk.columns.map(([, n]) => n),
    oneToOne: isOneToOne(fk),
    refSchema: fk.refSchema!,
    refRelation: fk.refTable!,
    refColumns: fk.refColumns.map(([, n]) => n),
  });
  const exportedFks = fks.filter((fk) => schemas.includes(fk.schema));

  // Which views carry all columns of a key: from the referencing side ('f') or the referenced side ('f_ref').
  const origins = viewColumnOrigins(facts.views);
  const views = new Map(facts.views.map((v) => [v.oid, v]));
  const byOrigin = new Map<string, Map<number, string[]>>(); // `rel.attnum` → view → columns
  for (const o of origins) {
    const k = `${o.rel}.${o.attnum}`;
    let m = byOrigin.get(k);
    if (!m) byOrigin.set(k, (m = new Map<number, string[]>()));
    const cols = m.get(o.viewOid) ?? [];
    if (!cols.includes(o.viewColumn)) cols.push(o.viewColumn);
    m.set(o.viewOid, cols);
  }
  const throughViews = (rel: number, attnums: number[]): KeyThroughView[] => {
    if (attnums.length === 0) return [];
    const perColumn = attnums.map((a) => byOrigin.get(`${rel}.${a}`) ?? new Map<number, string[]>());
    const out: KeyThroughView[] = [];
    for (const [viewOid, first] of perColumn[0]!) {
      const lists = [first, ...perColumn.slice(1).map((m) => m.get(viewOid))];
      if (lists.some((l) => l === undefined)) continue;
      const v = views.get(viewOid)!;
      out.push({ viewSchema: v.schema, viewName: v.name, viewColumns: lists as string[][] });
    }
    return out;
  };

  const derived: Relationship[] = [];
  const exportedNames = new Set(exportedFks.map((fk) => `${fk.schema}\0${fk.table}\0${fk.name}`));
  for (const fk of fks) {
    const rel = base(fk);
    const from = throughViews(
      fk.rel,
      fk.columns.map(([a]) => a),
    );
    const to =
      fk.refRel === null
        ? []
        : throughViews(
            fk.refRel,
            fk.refColumns.map(([a]) => a),
          );
    for (const f of from) {
      for (const columns of combinations(f.viewColumns)) derived.push({ ...rel, schema: f.viewSchema, relation: f.viewName, columns });
    }
    if (exportedNames.has(`${fk.schema}\0${fk.table}\0${fk.name}`)) {
      for (const t of to) {
        for (const refColumns of combinations(t.viewColumns))
          derived.push({ ...rel, refSchema: t.viewSchema, refRelation: t.viewName, refColumns });
      }
    }
    for (const f of from) {
      for (const columns of combinations(f.viewColumns)) {
        for (const t of to) {
          for (const refColumns of combinations(t.viewColumns)) {
            derived.push({
              ...rel,
              schema: f.viewSchema,
              relation: f.viewName,
              columns,
              refSchema: t.viewSchema,
              refRelation: t.viewName,
              refColumns,
            });
          }
        }
      }
    }
  }
  return [...exportedFks.map(base), ...derived];
}

/** All relationships, indexed by relation; with facts, traced through views as the CLI does. */
export function buildRelationships(catalog: Catalog, schemas: string[], facts: TypegenFacts | undefined): RelationshipIndex {
  return indexBy(facts ? fromFacts(facts, schemas) : fromCatalog(catalog, schemas));
}
