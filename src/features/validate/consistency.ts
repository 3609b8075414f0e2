/**
 * Consistency of the data with what the schema's conventions imply:
 * - updated_before_created: rows whose updated_at is earlier than their created_at;
 * - references_soft_deleted: live rows (no deleted_at column, or deleted_at null) whose foreign key points at a row
 *   that is soft-deleted (parent.deleted_at not null), one query per foreign key whose parent has deleted_at;
 * - value_outside_set: enum-like text columns (`col IN (…)` / `col = ANY (ARRAY[…])`, recognised by parsing the
 *   check with the real parser) whose CHECK is NOT VALID or NOT ENFORCED, with the distinct values outside the set.
 */
import {
  countAndSamplesSql,
  dataTables,
  findTable,
  keyColumns,
  plural,
  qualified,
  quoteIdent,
  quoteLiteral,
  SAMPLE_LIMIT,
  runCountAndSamples,
  verb,
  type CheckContext,
  type ValidateFinding,
} from './shared.js';
import { enumLikeCheck, unenforcedChecks } from './constraints.js';

function has(table: { columns: { name: string }[] }, name: string): boolean {
  return table.columns.some((c) => c.name === name);
}

const TIME_TYPES = new Set(['timestamp with time zone', 'timestamp without time zone', 'date']);

/** created_at and updated_at both exist and are dates or timestamps (text columns are not compared). */
function hasTimestamps(table: { columns: { name: string; type: string }[] }): boolean {
  const type = (name: string) => table.columns.find((c) => c.name === name)?.type.replace(/\(\d+\)/, '') ?? '';
  return TIME_TYPES.has(type('created_at')) && TIME_TYPES.has(type('updated_at'));
}

export async function checkConsistency(ctx: CheckContext): Promise<{ findings: ValidateFinding[]; checked: number }> {
  const tables = dataTables(ctx.catalog, ctx.schemas);
  const timestamps = tables.filter(hasTimestamps);
  const softRefs = tables.flatMap((t) =>
    t.constraints
      .filter((c) => c.type === 'f' && c.references)
      .map((fk) => ({ t, fk, parent: findTable(ctx.catalog, fk.references!.schema, fk.references!.table) }))
      .filter((x) => x.parent && has(x.parent, 'deleted_at')),
  );
  const enums = (await unenforcedChecks(ctx))
    .map((chk) => ({ chk, e: enumLikeCheck(chk.expr), t: findTable(ctx.catalog, chk.schema, chk.table) }))
    .filter((x) => x.e && x.t);
  const total = timestamps.length + softRefs.length + enums.length;
  let done = 0;
  const findings: ValidateFinding[] = [];

  for (const t of timestamps) {
    const sql = countAndSamplesSql(qualified(t.schema, t.name), 'c.updated_at < c.created_at', keyColumns(t));
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done, total, `${t.schema}.${t.name}`);
    if (count) {
      findings.push({
        check: 'updated_before_created',
        object: `${t.schema}.${t.name}`,
        level: 'warn',
        count,
        samples,
        message: `${plural(count, 'row')} of ${t.schema}.${t.name} ${verb(count, 'has', 'have')} updated_at earlier than created_at`,
        query: sql,
      });
    }
  }

  for (const { t, fk, parent } of softRefs) {
    const ref = fk.references!;
    const join = ref.columns.map((col, i) => `p.${quoteIdent(col)} = c.${quoteIdent(fk.columns[i]!)}`).join(' and ');
    const live = has(t, 'deleted_at') ? 'c.deleted_at is null and ' : '';
    const where = `${live}exists (select 1 from ${qualified(ref.schema, ref.table)} as p where ${join} and p.deleted_at is not null)`;
    const sql = countAndSamplesSql(qualified(t.schema, t.name), where, keyColumns(t, fk.columns));
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done, total, `${t.schema}.${t.name}`);
    if (count) {
      findings.push({
        check: 'references_soft_deleted',
        object: `${t.schema}.${t.name}.${fk.name}`,
        level: 'warn',
        count,
        samples,
        message: `${plural(count, 'live row')} of ${t.schema}.${t.name} ${verb(count, 'references', 'reference')} a soft-deleted ${parent!.schema}.${parent!.name} row (deleted_at is set)`,
        query: sql,
      });
    }
  }

  for (const { chk, e } of enums) {
    const col = `c.${quoteIdent(e!.column)}`;
    const sql = `with bad as materialized (select ${col}::text as value from ${qualified(chk.schema, chk.table)} as c where (${chk.expr}) is false)
select (select count(*) from bad)::text as n,
       coalesce((select json_agg(s)::text from (select value, count(*) as rows from bad group by value order by count(*) desc, value limit ${SAMPLE_LIMIT}) s), '[]') as samples`;
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done, total, `${chk.schema}.${chk.table}`);
    if (count) {
      findings.push({
        check: 'value_outside_set',
        object: `${chk.schema}.${chk.table}.${e!.column}`,
        level: 'error',
        count,
        samples,
        message: `${plural(count, 'row')} of ${chk.schema}.${chk.table} ${verb(count, 'has', 'have')} ${e!.column} outside (${e!.values.map(quoteLiteral).join(', ')}) allowed by CHECK ${chk.name} (${chk.enforced ? 'NOT VALID' : 'NOT ENFORCED'})`,
        query: sql,
      });
    }
  }
  return { findings, checked: total };
}
