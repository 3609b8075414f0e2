/**
 * The typed catalog model: what a database contains, read once from pg_catalog and shared by lint, typegen, diff,
 * backup and Studio.
 *
 * Rules that every reader keeps, so two reads of the same schema are deep-equal (and fingerprint the same):
 * - nothing volatile: no OIDs, no sequence current values, no sizes, no timestamps, no owners or grantors (they
 *   depend on who ran the migrations, not on what the migrations say);
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

export interface Column {
  name: string;
  /** 1-based position among the live columns (dropped columns leave no gap, unlike attnum). */
  ordinal: number;
  /** format_type text: `bigint`, `character varying(255)`, `public.task_status[]`. */
  type: string;
  nullable: boolean;
  /** Default expression; null for generated columns, whose expression is `generated`. */
  default: string | null;
  /** `a`: GENERATED ALWAYS AS IDENTITY; `d`: BY DEFAULT. */
  identity: 'a' | 'd' | null;
  /** Generation expression of a generated column. */
  generated: string | null;
  /** PG 18 adds virtual generated columns, and makes them the default when STORED is not written. */
  generatedKind: 'stored' | 'virtual' | null;
  /** Only when it differs from the type's default collation: `"C"`. */
  collation: string | null;
  comment: string | null;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKeyTarget {
  schema: string;
  table: string;
  columns: string[];
  onUpdate: FkAction;
  onDelete: FkAction;
  match: 'simple' | 'full' | 'partial';
}

export interface Constraint {
  name: string;
  /** p primary key, u unique, f foreign key, c check, x exclusion. NOT NULL is `Column.nullable`. */
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  /** pg_get_constraintdef: `FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE`. */
  definition: string;
  /** Constrained columns in constraint order (for checks: the columns the expression reads). */
  columns: string[];
  /** Foreign keys only. */
  references: ForeignKeyTarget | null;
  deferrable: boolean;
  initiallyDeferred: boolean;
  /** False for a constraint added NOT VALID and not validated since. */
  validated: boolean;
  /** False for PG 18's NOT ENFORCED check and foreign key constraints; always true before 18. */
  enforced: boolean;
  comment: string | null;
}

export interface Index {
  name: string;
  /** pg_get_indexdef: the full CREATE INDEX statement. */
  definition: string;
  /** Access method: btree, gist, gin, hash, brin, … */
  method: string;
  /** Key columns in order; an expression key is its deparsed expression: `lower(title)`. */
  columns: string[];
  /** INCLUDE columns. */
  include: string[];
  unique: boolean;
  primary: boolean;
  /** WHERE predicate of a partial index. */
  predicate: string | null;
  nullsNotDistinct: boolean;
  /** The constraint this index implements (primary key, unique, exclusion). */
  constraint: string | null;
  comment: string | null;
}

export interface Table {
  schema: string;
  name: string;
  kind: 'table' | 'partitioned';
  rlsEnabled: boolean;
  rlsForced: boolean;
  unlogged: boolean;
  /** pg_get_partkeydef of a partitioned table: `RANGE (at)`. */
  partitionKey: string | null;
  /** Set when this table is a partition. */
  partitionOf: { schema: string; table: string; bound: string } | null;
  comment: string | null;
  columns: Column[];
  /** Sorted by name. Constraints cloned onto a partition from its parent are left out. */
  constraints: Constraint[];
  /** Sorted by name. */
  indexes: Index[];
  grants: Grant[];
}

export interface ViewColumn {
  name: string;
  ordinal: number;
  type: string;
  comment: string | null;
}

export interface View {
  schema: string;
  name: string;
  /** pg_get_viewdef: the SELECT, as the server deparses it. */
  definition: string;
  /** `security_invoker` from reloptions (PG 15+): policies apply as the querying user, not the view owner. */
  securityInvoker: boolean;
  /** All reloptions as stored, sorted: `security_barrier=true`, `check_option=local`, … */
  options: string[];
  columns: ViewColumn[];
  comment: string | null;
  grants: Grant[];
}

export interface MaterializedView extends View {
  indexes: Index[];
}

export interface Sequence {
  schema: string;
  name: string;
  /** smallint, integer or bigint. */
  type: string;
  /** int8 values, as strings (exact, and what both engines return for int8). */
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** The column that owns it (serial, OWNED BY, or an identity column's sequence). */
  ownedBy: { schema: string; table: string; column: string; identity: boolean } | null;
  comment: string | null;
  grants: Grant[];
}

export interface RoutineArgument {
  /** Null when the argument has no name. */
  name: string | null;
  mode: 'in' | 'out' | 'inout' | 'variadic' | 'table';
  type: string;
  /** Input argument with a DEFAULT (callers may omit it). */
  hasDefault: boolean;
}

export interface Routine {
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
  /** pg_get_function_identity_arguments: what tells overloads apart, `p_project bigint`. */
  identityArgs: string;
  /** Every argument in declaration order, OUT and TABLE columns included. */
  arguments: RoutineArgument[];
  /** format_type of the return type (`record` for RETURNS TABLE); null for procedures. */
  returnType: string | null;
  returnsSet: boolean;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  strict: boolean;
  /** proconfig as stored: `search_path=""`, `statement_timeout=5s`. */
  config: string[];
  /** prosrc, or the deparsed body of a SQL-standard `BEGIN ATOMIC` / `RETURN` function. */
  body: string;
  /** pg_get_functiondef (CREATE OR REPLACE …); null for aggregates and window functions, which it cannot print. */
  definition: string | null;
  comment: string | null;
  /** From proacl, or the default (EXECUTE to PUBLIC and the owner) when none was set. */
  grants: Grant[];
}

export interface Trigger {
  schema: string;
  table: string;
  name: string;
  /** pg_get_triggerdef: the full CREATE TRIGGER statement. */
  definition: string;
  /** Schema-qualified trigger function: `public.set_updated_at`. */
  function: string;
  timing: 'before' | 'after' | 'instead of';
  events: ('insert' | 'update' | 'delete' | 'truncate')[];
  level: 'row' | 'statement';
  /** tgenabled: `origin` is the normal "enabled"; `replica`/`always` fire under session_replication_role. */
  enabled: 'origin' | 'always' | 'replica' | 'disabled';
  comment: string | null;
}

export interface Policy {
  schema: string;
  table: string;
  name: string;
  command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  permissive: boolean;
  /** Role names sorted; `PUBLIC` when the policy applies to everyone (as in grants). */
  roles: string[];
  using: string | null;
  withCheck: string | null;
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
