import type { MaterializedView, Sequence, Table, View } from './model-relations.js';
import type { Policy, Routine, Trigger } from './model-routines.js';

export type * from './model-relations.js';
export type * from './model-routines.js';

/**
 * The typed catalog model: what a database contains, read once from pg_catalog and shared by lint, typegen, diff,
 * backup and Studio.
 *
 * Rules that every reader keeps, so two reads of the same schema are deep-equal (and fingerprint the same):
 * - nothing volatile: no OIDs, no sequence current values, no sizes, no timestamps, no owners or grantors (they
 *   depend on who ran the migrations, not on what the migrations say; the owner's own privileges do show in
 *   `grants`, as any ACL entry does);
 * - every list sorted by plain code-point order (never the database collation, which differs between servers) on
 *   schema, then name, then ordinal;
 * - every expression deparsed by the server with `search_path = ''`, so names outside pg_catalog are always
 *   schema-qualified (`public.task_status`, `nextval('public.tasks_id_seq'::regclass)`), whatever the session had;
 * - `null`, never `undefined`, for "absent", so JSON round trips keep the shape.
 *
 * @example
 * const catalog: Catalog = await readCatalog(engine);
 * const tasks = catalog.tables.find((t) => t.schema === 'public' && t.name === 'tasks');
 * tasks?.columns.filter((c) => !c.nullable).map((c) => c.name);
 */
export interface Catalog {
  schemas: Schema[];
  /** Every extension in the database (database-wide, not filtered by `schemas`). */
  extensions: Extension[];
  enums: EnumType[];
  domains: DomainType[];
  composites: CompositeType[];
  /** Ordinary and partitioned tables. */
  tables: Table[];
  views: View[];
  materializedViews: MaterializedView[];
  sequences: Sequence[];
  /** Functions and procedures; aggregates and window functions too, without a definition. */
  functions: Routine[];
  /** User triggers on tables and views (internal FK triggers and clones on partitions left out). */
  triggers: Trigger[];
  policies: Policy[];
  /**
   * Logical replication publications: every one in the database (they are database-wide), with the member tables of
   * the schemas read. Optional so hand-built catalogs stay valid; readCatalog always fills it.
   */
  publications?: Publication[];
}

export interface Publication {
  name: string;
  /** `for all tables`. */
  allTables: boolean;
  /** The operations it publishes, in this order: insert, update, delete, truncate. */
  publish: ('insert' | 'update' | 'delete' | 'truncate')[];
  /** publish_via_partition_root. */
  viaRoot: boolean;
  /** Member tables in the schemas read; `columns` null for all columns, `where` the row filter (PG 15+). */
  tables: { schema: string; table: string; columns: string[] | null; where: string | null }[];
  /** `for tables in schema …` entries among the schemas read (PG 15+), sorted. */
  schemas: string[];
  comment: string | null;
}

export interface Schema {
  name: string;
  comment: string | null;
}

export interface Extension {
  name: string;
  schema: string;
  version: string;
}

/** A role and a privilege from an object's ACL; the owner's implicit privileges are listed too. */
export interface Grant {
  /** Role name, or `PUBLIC`. */
  grantee: string;
  /** `SELECT`, `INSERT`, … `EXECUTE`, as aclexplode spells them (PG 17+ adds `MAINTAIN` on relations). */
  privilege: string;
  grantable: boolean;
}

export interface EnumType {
  schema: string;
  name: string;
  /** Labels in their sort order (enumsortorder), not alphabetically. */
  values: string[];
  comment: string | null;
}

export interface DomainType {
  schema: string;
  name: string;
  /** format_type of the base type, with its modifier: `numeric(12,2)`. */
  baseType: string;
  notNull: boolean;
  default: string | null;
  collation: string | null;
  /** CHECK constraints only; a domain's NOT NULL (a pg_constraint row since PG 17) is `notNull`. */
  checks: { name: string; definition: string }[];
  comment: string | null;
}

export interface CompositeType {
  schema: string;
  name: string;
  attributes: { name: string; ordinal: number; type: string; collation: string | null }[];
  comment: string | null;
}

/** What to read. */
export interface ReadCatalogOptions {
  /**
   * Schemas to read. Default: every user schema, i.e. all but `pg_*`, `information_schema` and schemas created by an
   * extension. Named schemas that do not exist are ignored.
   */
  schemas?: string[];
}
