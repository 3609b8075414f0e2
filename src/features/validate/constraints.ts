/**
 * Constraint violations the database itself lets through:
 * - CHECK constraints added NOT VALID (or NOT ENFORCED on PG 18): the rows for which the expression is false (a NULL
 *   result passes a CHECK, as in Postgres). Enum-like checks (`col IN (…)`) are left to consistency's
 *   value_outside_set, which reports the offending values rather than row keys.
 * - unique indexes left invalid (pg_index.indisvalid false, e.g. a failed CREATE UNIQUE INDEX CONCURRENTLY): the key
 *   values that occur more than once, honouring the index predicate and NULLS [NOT] DISTINCT.
 * - NOT NULL constraints added NOT VALID (PG 18): the rows holding NULL. Before PG 18 a NOT NULL column cannot hold a
 *   NULL (SET NOT NULL scans the table), so there is nothing to check; on 18, `ADD CONSTRAINT … NOT NULL col NOT VALID`
 *   marks the column attnotnull for new rows while old NULLs stay until VALIDATE CONSTRAINT.
 */
import { parseSql } from '../../core/sql/parser.js';
import {
  countAndSamplesSql,
  findTable,
  keyColumns,
  plural,
  qualified,
  quoteIdent,
  quoteLiteral,
  runCountAndSamples,
  SAMPLE_LIMIT,
  verb,
  type CheckContext,
  type ValidateFinding,
} from './shared.js';

export interface UnenforcedCheck {
  schema: string;
  table: string;
  name: string;
  /** pg_get_expr of the check, deparsed under the session's search_path (the one the checks run under). */
  expr: string;
  validated: boolean;
  enforced: boolean;
}

const UNENFORCED_CHECKS_SQL = `
select n.nspname::text as schema, r.relname::text as table, co.conname::text as name,
       pg_get_expr(co.conbin, co.conrelid) as expr, co.convalidated as validated,
       coalesce((to_jsonb(co) ->> 'conenforced')::boolean, true) as enforced
  from pg_constraint co
  join pg_class r on r.oid = co.conrelid
  join pg_namespace n on n.oid = r.relnamespace
 where co.contype = 'c' and co.conparentid = 0 and r.relkind in ('r', 'p')
   and n.nspname = any($1::text[])
   and (not co.convalidated or not coalesce((to_jsonb(co) ->> 'conenforced')::boolean, true))
 order by 1, 2, 3`;

const cache = new WeakMap<CheckContext, Promise<UnenforcedCheck[]>>();

/** CHECK constraints whose rows the database never verified: NOT VALID, or PG 18's NOT ENFORCED. Read once per run. */
export function unenforcedChecks(ctx: CheckContext): Promise<UnenforcedCheck[]> {
  let p = cache.get(ctx);
  if (!p) {
    p = ctx.db.query<UnenforcedCheck>(UNENFORCED_CHECKS_SQL, [ctx.schemas]).then((r) => r.rows);
    cache.set(ctx, p);
  }
  return p;
}

export interface EnumLikeCheck {
  column: string;
  values: string[];
}

type Node = Record<string, unknown>;

function unwrapCast(node: unknown): unknown {
  let n = node as Node | undefined;
  while (n && 'TypeCast' in n) n = (n.TypeCast as Node).arg as Node;
  return n;
}

function columnName(node: unknown): string | undefined {
  const n = unwrapCast(node) as Node | undefined;
  const ref = n?.ColumnRef as { fields?: Node[] } | undefined;
  if (!ref?.fields || ref.fields.length !== 1) return undefined;
  const sval = (ref.fields[0]!.String as { sval?: string } | undefined)?.sval;
  return sval;
}

function stringConst(node: unknown): string | undefined {
  const n = unwrapCast(node) as Node | undefined;
  const c = n?.A_Const as { sval?: { sval?: string } } | undefined;
  return c?.sval?.sval ?? (c?.sval ? '' : undefined);
}

/**
 * Recognises an enum-like check, `col IN ('a', 'b')` or `col = ANY (ARRAY['a', 'b'])` (with any casts, as Postgres
 * deparses them), by parsing `select <expr>` with the real parser. Anything else gives undefined.
 *
 * @example
 * enumLikeCheck("((status)::text = ANY ((ARRAY['todo'::character varying, 'done'::character varying])::text[]))");
 * // { column: 'status', values: ['todo', 'done'] }
 */
export function enumLikeCheck(expr: string): EnumLikeCheck | undefined {
  let parsed;
  try {
    parsed = parseSql(`select ${expr}`);
  } catch {
    return undefined;
  }
  const select = parsed.stmts?.[0]?.stmt as Node | undefined;
  const target = ((select?.SelectStmt as Node | undefined)?.targetList as Node[] | undefined)?.[0];
  const e = ((target?.ResTarget as Node | undefined)?.val as Node | undefined)?.A_Expr as Node | undefined;
  if (!e || (e.name as Node[] | undefined)?.length !== 1) return undefined;
  if ((((e.name as Node[])[0]!.String as Node | undefined)?.sval as string | undefined) !== '=') return undefined;
  const column = columnName(e.lexpr);
  if (!column) return undefined;
  let items: unknown[] | undefined;
  if (e.kind === 'AEXPR_IN') items = ((e.rexpr as Node | undefined)?.List as { items?: unknown[] } | undefined)?.items;
  else if (e.kind === 'AEXPR_OP_ANY')
    items = ((unwrapCast(e.rexpr) as Node | undefined)?.A_ArrayExpr as { elements?: unknown[] } | undefined)?.elements;
  if (!items?.length) return undefined;
  const values = items.map(stringConst);
  if (values.some((v) => v === undefined)) return undefined;
  return { column, values: values as string[] };
}

function checkState(c: UnenforcedCheck): string {
  return c.enforced ? 'NOT VALID' : 'NOT ENFORCED';
}

async function checkViolations(
  ctx: CheckContext,
  checks: UnenforcedCheck[],
  done: { n: number },
  total: number,
): Promise<ValidateFinding[]> {
  const findings: ValidateFinding[] = [];
  for (const chk of checks) {
    const table = findTable(ctx.catalog, chk.schema, chk.table);
    if (!table || enumLikeCheck(chk.expr)) continue; // enum-like: consistency's value_outside_set
    const sql = countAndSamplesSql(qualified(chk.schema, chk.table), `(${chk.expr}) is false`, keyColumns(table));
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done.n, total, `${chk.schema}.${chk.table}`);
    if (count === 0) continue;
    findings.push({
      check: 'check_violation',
      object: `${chk.schema}.${chk.table}.${chk.name}`,
      level: 'error',
      count,
      samples,
      message: `${plural(count, 'row')} of ${chk.schema}.${chk.table} ${verb(count, 'breaks', 'break')} CHECK ${chk.name} (${checkState(chk)}): ${chk.expr}`,
      query: sql,
    });
  }
  return findings;
}

interface InvalidUnique {
  schema: string;
  table: string;
  index: string;
  keys: string[];
  predicate: string | null;
  nulls_not_distinct: boolean;
}

const INVALID_UNIQUE_SQL = `
select n.nspname::text as schema, t.relname::text as table, ic.relname::text as index,
       array(select pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts::int) k order by k) as keys,
       pg_get_expr(i.indpred, i.indrelid) as predicate,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct
  from pg_index i
  join pg_class ic on ic.oid = i.indexrelid
  join pg_class t on t.oid = i.indrelid
  join pg_namespace n on n.oid = t.relnamespace
 where i.indisunique and not i.indisvalid and n.nspname = any($1::text[])
 order by 1, 2, 3`;

/** One query per invalid unique index: key values held by more than one row. Keys are columns or expressions. */
export function duplicateKeysSql(ix: InvalidUnique): string {
  const keys = ix.keys.map((k, i) => `${k} as ${quoteIdent(`k${i + 1}`)}`).join(', ');
  const where = [
    ix.predicate ? `(${ix.predicate})` : 'true',
    ...(ix.nulls_not_distinct ? [] : ix.keys.map((k) => `(${k}) is not null`)),
  ].join(' and ');
  const groups = ix.keys.map((_, i) => String(i + 1)).join(', ');
  const sample = ix.keys.map((k, i) => `${quoteLiteral(k)}, s.${quoteIdent(`k${i + 1}`)}`).join(', ');
  return `with dup as materialized (select ${keys}, count(*) as rows from ${qualified(ix.schema, ix.table)} as c where ${where} group by ${groups} having count(*) > 1)
select (select count(*) from dup)::text as n, (select coalesce(sum(rows), 0) from dup)::text as rows,
       coalesce((select json_agg(json_build_object(${sample}, 'rows', s.rows))::text from (select * from dup order by ${groups} limit ${SAMPLE_LIMIT}) s), '[]') as samples`;
}

async function uniqueViolations(
  ctx: CheckContext,
  indexes: InvalidUnique[],
  done: { n: number },
  total: number,
): Promise<ValidateFinding[]> {
  const findings: ValidateFinding[] = [];
  for (const ix of indexes) {
    const sql = duplicateKeysSql(ix);
    ctx.queries.n++;
    const { rows } = await ctx.db.query<{ n: string; rows: string; samples: string }>(sql);
    ctx.progress(++done.n, total, `${ix.schema}.${ix.table}`);
    const count = Number(rows[0]?.n ?? 0);
    const level = count ? 'error' : 'warn';
    findings.push({
      check: 'unique_violation',
      object: `${ix.schema}.${ix.table}.${ix.index}`,
      level,
      count,
      samples: JSON.parse(rows[0]?.samples ?? '[]') as Record<string, unknown>[],
      message: count
        ? `unique index ${ix.index} is invalid and ${plural(count, 'key value')} of (${ix.keys.join(', ')}) ${verb(count, 'occurs', 'occur')} more than once (${rows[0]?.rows} rows); remove the duplicates, then reindex index concurrently ${qualified(ix.schema, ix.index)}`
        : `unique index ${ix.index} is invalid (not used, uniqueness not guaranteed), though no duplicates exist now; reindex index concurrently ${qualified(ix.schema, ix.index)}`,
      query: sql,
    });
  }
  return findings;
}

interface UnvalidatedNotNull {
  schema: string;
  table: string;
  name: string;
  column: string;
}

// contype 'n' exists from PG 18 (a NOT NULL is a pg_constraint row); older servers simply return no rows.
const UNVALIDATED_NOT_NULL_SQL = `
select n.nspname::text as schema, r.relname::text as table, co.conname::text as name, a.attname::text as column
  from pg_constraint co
  join pg_class r on r.oid = co.conrelid
  join pg_namespace n on n.oid = r.relnamespace
  join pg_attribute a on a.attrelid = co.conrelid and a.attnum = co.conkey[1]
 where co.contype = 'n' and not co.convalidated and co.conparentid = 0 and r.relkind in ('r', 'p')
   and n.nspname = any($1::text[])
 order by 1, 2, 3`;

async function notNullViolations(
  ctx: CheckContext,
  list: UnvalidatedNotNull[],
  done: { n: number },
  total: number,
): Promise<ValidateFinding[]> {
  const findings: ValidateFinding[] = [];
  for (const nn of list) {
    const table = findTable(ctx.catalog, nn.schema, nn.table);
    if (!table) continue;
    const sql = countAndSamplesSql(qualified(nn.schema, nn.table), `c.${quoteIdent(nn.column)} is null`, keyColumns(table));
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done.n, total, `${nn.schema}.${nn.table}`);
    if (count === 0) continue;
    findings.push({
      check: 'not_null_violation',
      object: `${nn.schema}.${nn.table}.${nn.name}`,
      level: 'error',
      count,
      samples,
      message: `${plural(count, 'row')} of ${nn.schema}.${nn.table} ${verb(count, 'has', 'have')} ${nn.column} NULL under NOT NULL ${nn.name} (NOT VALID)`,
      query: sql,
    });
  }
  return findings;
}

/** NOT VALID / NOT ENFORCED check violations (enum-like ones excepted), NULLs under NOT VALID NOT NULL, and duplicates under invalid unique indexes. */
export async function checkConstraints(ctx: CheckContext): Promise<{ findings: ValidateFinding[]; checked: number }> {
  const checks = await unenforcedChecks(ctx);
  const { rows: indexes } = await ctx.db.query<InvalidUnique>(INVALID_UNIQUE_SQL, [ctx.schemas]);
  const { rows: notNulls } = await ctx.db.query<UnvalidatedNotNull>(UNVALIDATED_NOT_NULL_SQL, [ctx.schemas]);
  const total = checks.length + indexes.length + notNulls.length;
  const done = { n: 0 };
  const findings = [
    ...(await checkViolations(ctx, checks, done, total)),
    ...(await notNullViolations(ctx, notNulls, done, total)),
    ...(await uniqueViolations(ctx, indexes, done, total)),
  ];
  return { findings, checked: total };
}
