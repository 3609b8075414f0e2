/**
 * What the supabase-js renderer knows about one database: the catalog of the exported schemas (with the enums,
 * domains and composites of every schema merged in from the typegen facts), the view facts (NOT NULL columns,
 * writability), the relationships, and the lookups the CLI's rules need (which relation a type is the row type of,
 * which types are row types at all, a function's ROWS estimate).
 */
import type { Catalog, Column, Routine, Table, View } from '../../core/catalog/index.js';
import type { TypegenFacts, TypegenFunction, TypegenViewWrites } from '../../core/catalog/read-typegen.js';
import { buildRelationships, type RelationshipIndex } from './supabase-js-relationships.js';
import { parsePgType, pgToTs, resolvePgType, type PgToTsOptions } from './ts-names.js';
import { viewNotNullColumns } from './view-lineage.js';

/** `T | null`; `unknown` absorbs null (the CLI prints plain `unknown`). */
export function orNull(ts: string): string {
  return ts === 'unknown' ? ts : `${ts} | null`;
}

/** A table, view or materialized view of an exported schema. */
export type Relation =
  { kind: 'Tables'; schema: string; name: string; table: Table } | { kind: 'Views'; schema: string; name: string; view: View };

const key = (...parts: string[]) => parts.join('\0');

function mergeBy<T extends { schema: string; name: string }>(mine: T[], more: T[] | undefined): T[] {
  if (!more) return mine;
  const seen = new Set(mine.map((x) => key(x.schema, x.name)));
  return [...mine, ...more.filter((x) => !seen.has(key(x.schema, x.name)))];
}

export class TypegenContext {
  readonly catalog: Catalog;
  readonly tsOpts: PgToTsOptions;
  readonly relationships: RelationshipIndex;
  private readonly viewNotNull = new Map<string, Set<string>>();
  private readonly viewWrites = new Map<string, TypegenViewWrites>();
  private readonly fnFacts = new Map<string, TypegenFunction>();
  private readonly rowTypes: Set<string>;

  constructor(
    catalog: Catalog,
    readonly schemas: string[],
    readonly facts: TypegenFacts | undefined,
  ) {
    this.catalog = {
      ...catalog,
      enums: mergeBy(catalog.enums, facts?.enums),
      domains: mergeBy(catalog.domains, facts?.domains),
      composites: mergeBy(catalog.composites, facts?.composites),
    };
    this.tsOpts = { schemas, enumStyle: 'supabase' };
    this.relationships = buildRelationships(catalog, schemas, facts);
    if (facts) {
      const notNull = viewNotNullColumns(facts.views);
      for (const v of facts.views) this.viewNotNull.set(key(v.schema, v.name), notNull.get(v.oid) ?? new Set());
      for (const w of facts.viewWrites) this.viewWrites.set(key(w.schema, w.name), w);
      for (const f of facts.functions) this.fnFacts.set(key(f.schema, f.name, f.identityArgs), f);
    }
    const rowTypes = facts
      ? facts.rowTypes
      : [...catalog.composites, ...catalog.tables, ...catalog.views, ...catalog.materializedViews].map((x) => ({
          schema: x.schema,
          name: x.name,
        }));
    this.rowTypes = new Set(rowTypes.map((r) => key(r.schema, r.name)));
  }

  ts(type: string): string {
    return pgToTs(type, this.catalog, this.tsOpts);
  }

  /** NOT NULL: the column's own constraint, or a NOT NULL domain as its type (as the CLI reads typnotnull). */
  columnNotNull(c: Column): boolean {
    if (!c.nullable) return true;
    const r = resolvePgType(c.type, this.catalog);
    return r.kind === 'domain' && !r.ref.isArray && r.domain.notNull;
  }

  /** A table column's type: a NOT NULL json/jsonb column is `NonNullable<Json>` (as the CLI writes). */
  columnTs(c: Column): string {
    return this.typeWithNull(c.type, !this.columnNotNull(c));
  }

  typeWithNull(type: string, nullable: boolean): string {
    const ts = this.ts(type);
    if (!nullable) return ts === 'Json' ? 'NonNullable<Json>' : ts;
    return orNull(ts);
  }

  /** View columns proven NOT NULL (see view-lineage.ts); none without facts. */
  viewColumnNotNull(view: View, column: string): boolean {
    return this.viewNotNull.get(key(view.schema, view.name))?.has(column) ?? false;
  }

  /** Insert / Update writability of a view; without facts a view is read-only. */
  writesOf(view: View): TypegenViewWrites | undefined {
    return this.viewWrites.get(key(view.schema, view.name));
  }

  functionFacts(fn: Routine): TypegenFunction | undefined {
    return this.fnFacts.get(key(fn.schema, fn.name, fn.identityArgs));
  }

  /** The exported relation whose row type `type` is (not an array of it). */
  relationOf(type: string): Relation | undefined {
    const r = resolvePgType(type, this.catalog);
    if (r.ref.isArray || (r.kind !== 'table' && r.kind !== 'view')) return undefined;
    if (!this.schemas.includes(r.schema)) return undefined;
    const table = this.catalog.tables.find((t) => t.schema === r.schema && t.name === r.name);
    if (table) return { kind: 'Tables', schema: table.schema, name: table.name, table };
    const view = [...this.catalog.views, ...this.catalog.materializedViews].find((v) => v.schema === r.schema && v.name === r.name);
    return view ? { kind: 'Views', schema: view.schema, name: view.name, view } : undefined;
  }

  /** Schema and name of the row type `type` is (a composite type, or any relation's row type), if it is one. */
  rowTypeOf(type: string): { schema: string; name: string } | undefined {
    const ref = parsePgType(type);
    if (ref.isArray) return undefined;
    const schema = ref.schema ?? 'pg_catalog';
    return this.rowTypes.has(key(schema, ref.name)) ? { schema, name: ref.name } : undefined;
  }

  /** Column names of an exported relation. */
  columnNames(rel: Relation): string[] {
    return (rel.kind === 'Tables' ? rel.table.columns : rel.view.columns).map((c) => c.name);
  }
}
