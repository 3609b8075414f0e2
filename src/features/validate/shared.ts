/**
 * What every validate check shares: the finding shape, identifier quoting, sample keys, and the one set-based
 * "count + up to 5 samples" query every row-level check is built on.
 */
import type { Catalog, Table } from '../../core/catalog/index.js';
import type { Queryable } from '../../db/engine.js';
import { qualified, quoteIdent, quoteLiteral } from '../../core/sql/quote.js';

export type ValidateLevel = 'error' | 'warn' | 'info';

/** The check families; `only` selects among them. */
export const CHECK_FAMILIES = ['orphans', 'constraints', 'sequences', 'consistency', 'rls'] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

/** Individual check ids, as they appear in findings. */
export type CheckId =
  | 'orphaned_rows'
  | 'implied_reference'
  | 'check_violation'
  | 'not_null_violation'
  | 'unique_violation'
  | 'sequence_behind'
  | 'updated_before_created'
  | 'references_soft_deleted'
  | 'value_outside_set'
  | 'rls_compliance'
  | 'nothing_checked';

export interface ValidateFinding {
  check: CheckId;
  /** schema.table, schema.table.constraint or schema.sequence. */
  object: string;
  level: ValidateLevel;
  /** Rows (or key values, for unique_violation) found; 0 for a passing RLS table. */
  count: number;
  /** Up to 5 sample keys or values, as JSON objects. */
  samples: Record<string, unknown>[];
  message: string;
  /** The query that found it, to run by hand. */
  query?: string;
}

export interface ValidateProgress {
  family: CheckFamily;
  /** Objects checked so far in this step of the family, and how many the step has. */
  done: number;
  total: number;
  object?: string;
  /** Set once per family, when it has finished: `done`/`total` are then the objects it examined. */
  finished?: { findings: number; ms: number };
}

/** What each family's runner receives: one session inside the read-only snapshot. */
export interface CheckContext {
  db: Queryable;
  catalog: Catalog;
  schemas: string[];
  /** The schemas the API exposes, whose tables need RLS (a subset of `schemas`). */
  rlsSchemas: string[];
  /** Counts every query run against user data (the summary reports it). */
  queries: { n: number };
  progress(done: number, total: number, object?: string): void;
}

export const SAMPLE_LIMIT = 5;

/** Names and literals in validate's queries and fixes: quoted as Postgres's quote_ident / quote_literal do. */
export { qualified, quoteIdent, quoteLiteral };

/** The columns that identify a row in samples: the primary key, else the first unique constraint, else `fallback`. */
export function keyColumns(table: Table, fallback: string[] = []): string[] {
  const pk = table.constraints.find((c) => c.type === 'p');
  if (pk) return pk.columns;
  const uq = table.constraints.find((c) => c.type === 'u' && c.validated);
  if (uq) return uq.columns;
  return fallback;
}

/** Tables checked row by row: partitions are covered by their partitioned parent, so they are left out. */
export function dataTables(catalog: Catalog, schemas: string[]): Table[] {
  return catalog.tables.filter((t) => schemas.includes(t.schema) && t.partitionOf === null);
}

export function findTable(catalog: Catalog, schema: string, name: string): Table | undefined {
  return catalog.tables.find((t) => t.schema === schema && t.name === name);
}

/**
 * One set-based query: the rows of `from` (aliased `c`) matching `where`, counted, with up to 5 samples of `keys`
 * (sorted, so the samples are stable). The candidate set is materialised once; count and samples both read it.
 */
export function countAndSamplesSql(from: string, where: string, keys: string[]): string {
  const keyList = keys.length ? keys.map((k) => `c.${quoteIdent(k)}`).join(', ') : 'c.ctid::text as ctid';
  const order = keys.length ? keys.map((_, i) => String(i + 1)).join(', ') : '1';
  return `with found as materialized (select ${keyList} from ${from} as c where ${where})
select (select count(*) from found)::text as n,
       coalesce((select json_agg(s)::text from (select * from found order by ${order} limit ${SAMPLE_LIMIT}) s), '[]') as samples`;
}

export async function runCountAndSamples(
  ctx: CheckContext,
  sql: string,
  params: unknown[] = [],
): Promise<{ count: number; samples: Record<string, unknown>[] }> {
  ctx.queries.n++;
  const { rows } = await ctx.db.query<{ n: string | number; samples: string }>(sql, params);
  const row = rows[0];
  return { count: Number(row?.n ?? 0), samples: row ? (JSON.parse(row.samples) as Record<string, unknown>[]) : [] };
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The verb agreeing with a count: `verb(1, 'has', 'have')`. */
export function verb(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
