/**
 * Sequences behind their column: for each sequence owned by a column (serial, identity, OWNED BY) of a validated
 * table, whether the value nextval() would return next is already taken, i.e. ≤ max(column) for an ascending
 * sequence (≥ min for a descending one). Typical after rows were inserted with explicit ids (a seed, a copy) and no
 * setval. One query per sequence; it reads the sequence's own last_value/is_called (no nextval, so nothing changes).
 */
import type { Sequence } from '../../core/catalog/index.js';
import { plural, qualified, quoteIdent, quoteLiteral, verb, type CheckContext, type ValidateFinding } from './shared.js';

/** The query for one owned sequence: next value, column extreme, and how many existing values lie at or past it. */
export function sequenceSql(seq: Sequence): string {
  const owner = seq.ownedBy!;
  const col = `c.${quoteIdent(owner.column)}`;
  const ascending = !seq.increment.startsWith('-');
  const increment = `${quoteLiteral(seq.increment)}::numeric`;
  return `with s as (select case when is_called then last_value::numeric + ${increment} else last_value::numeric end as next from ${qualified(seq.schema, seq.name)})
select s.next::text as next_value,
       (select ${ascending ? 'max' : 'min'}(${col})::text from ${qualified(owner.schema, owner.table)} as c) as extreme,
       (select count(*) from ${qualified(owner.schema, owner.table)} as c where ${col}::numeric ${ascending ? '>=' : '<='} s.next)::text as n
  from s`;
}

export async function checkSequences(ctx: CheckContext): Promise<{ findings: ValidateFinding[]; checked: number }> {
  const seqs = ctx.catalog.sequences.filter(
    (s) =>
      s.ownedBy &&
      ctx.schemas.includes(s.ownedBy.schema) &&
      ctx.catalog.tables.some((t) => t.schema === s.ownedBy!.schema && t.name === s.ownedBy!.table && t.partitionOf === null),
  );
  const findings: ValidateFinding[] = [];
  let done = 0;
  for (const seq of seqs) {
    const owner = seq.ownedBy!;
    const sql = sequenceSql(seq);
    ctx.queries.n++;
    const { rows } = await ctx.db.query<{ next_value: string; extreme: string | null; n: string }>(sql);
    ctx.progress(++done, seqs.length, `${seq.schema}.${seq.name}`);
    const row = rows[0];
    const count = Number(row?.n ?? 0);
    if (!row || count === 0) continue;
    const agg = seq.increment.startsWith('-') ? 'min' : 'max';
    const column = `${owner.schema}.${owner.table}.${owner.column}`;
    findings.push({
      check: 'sequence_behind',
      object: `${seq.schema}.${seq.name}`,
      level: 'error',
      count,
      samples: [{ column, next_value: row.next_value, [`${agg}_value`]: row.extreme }],
      message: `${owner.identity ? 'identity column' : 'sequence'} ${seq.schema}.${seq.name} would next return ${row.next_value}, but ${agg}(${owner.column}) is ${row.extreme}: ${plural(count, 'existing value')} ${verb(count, 'lies', 'lie')} ahead of it, so inserts will collide; fix with select setval(${quoteLiteral(qualified(seq.schema, seq.name))}, (select ${agg}(${quoteIdent(owner.column)}) from ${qualified(owner.schema, owner.table)}))`,
      query: sql,
    });
  }
  return { findings, checked: seqs.length };
}
