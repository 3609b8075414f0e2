/**
 * The model of relations: tables with their columns, constraints and indexes; views; sequences.
 */
import type { Grant } from './model.js';

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
