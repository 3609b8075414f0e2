/**
 * Orphans: for every foreign key (validated, NOT VALID or NOT ENFORCED; multi-column), the rows whose referenced row
 * is missing, with MATCH SIMPLE semantics (a row with any NULL key column references nothing) or MATCH FULL (all
 * NULL references nothing; a mix of NULL and non-NULL is itself a violation). One anti-join per foreign key.
 *
 * Implied references: `<x>_id` / `user_id` columns that no foreign key covers, reported as info with the table they
 * probably mean (the plural of x, or auth.users) and, when that table exists with a one-column primary key of the
 * same type, how many values have no match there.
 */
import type { Constraint, ForeignKeyTarget, Table } from '../../core/catalog/index.js';
import {
  countAndSamplesSql,
  dataTables,
  keyColumns,
  plural,
  qualified,
  quoteIdent,
  runCountAndSamples,
  verb,
  type CheckContext,
  type ValidateFinding,
} from './shared.js';

/** What an orphan query needs of a foreign key (a real one, or an implied reference). */
export interface ReferenceSpec {
  columns: string[];
  references: Pick<ForeignKeyTarget, 'schema' | 'table' | 'columns' | 'match'>;
}

/** The WHERE clause finding a foreign key's orphans among `c` rows. */
export function orphanPredicate(fk: ReferenceSpec): string {
  const ref = fk.references;
  const child = fk.columns.map((col) => `c.${quoteIdent(col)}`);
  const join = ref.columns.map((col, i) => `p.${quoteIdent(col)} = ${child[i]}`).join(' and ');
  const missing = `not exists (select 1 from ${qualified(ref.schema, ref.table)} as p where ${join})`;
  const allSet = child.map((c) => `${c} is not null`).join(' and ');
  if (ref.match === 'full' && child.length > 1) {
    const anySet = child.map((c) => `${c} is not null`).join(' or ');
    return `((${allSet} and ${missing}) or ((${anySet}) and not (${allSet})))`;
  }
  return `${allSet} and ${missing}`;
}

function fkState(fk: Constraint): string {
  if (!fk.enforced) return 'NOT ENFORCED';
  if (!fk.validated) return 'NOT VALID';
  return 'validated: its triggers were bypassed (session_replication_role = replica or disabled triggers)';
}

async function orphanFindings(ctx: CheckContext, tables: Table[]): Promise<ValidateFinding[]> {
  const work = tables.flatMap((t) => t.constraints.filter((c) => c.type === 'f' && c.references).map((fk) => ({ t, fk })));
  const findings: ValidateFinding[] = [];
  let done = 0;
  for (const { t, fk } of work) {
    const ref = fk.references!;
    const sql = countAndSamplesSql(
      qualified(t.schema, t.name),
      orphanPredicate({ columns: fk.columns, references: ref }),
      keyColumns(t, fk.columns),
    );
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done, work.length, `${t.schema}.${t.name}`);
    if (count === 0) continue;
    findings.push({
      check: 'orphaned_rows',
      object: `${t.schema}.${t.name}.${fk.name}`,
      level: 'error',
      count,
      samples,
      message: `${plural(count, 'row')} of ${t.schema}.${t.name} (${fk.columns.join(', ')}) ${verb(count, 'references', 'reference')} a missing ${ref.schema}.${ref.table} (${ref.columns.join(', ')}) row; the foreign key is ${fkState(fk)}`,
      query: sql,
    });
  }
  return findings;
}

/** Table names `<x>_id` probably refers to: the plural of x, then x itself. */
export function parentGuesses(stem: string): string[] {
  const lower = stem.toLowerCase();
  let pluralName: string;
  if (/[^aeiou]y$/.test(lower)) pluralName = `${stem.slice(0, -1)}ies`;
  else if (/(s|x|z|ch|sh)$/.test(lower)) pluralName = `${stem}es`;
  else pluralName = `${stem}s`;
  return [pluralName, stem];
}

interface PkTable {
  schema: string;
  table: string;
  pk: string;
  type: string;
}

// Every ordinary or partitioned table with a one-column primary key, in any schema (the parent of an implied
// reference, auth.users say, may be outside the schemas validated).
const PK_TABLES_SQL = `
select n.nspname::text as schema, c.relname::text as table, a.attname::text as pk, format_type(a.atttypid, a.atttypmod) as type
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_index i on i.indrelid = c.oid and i.indisprimary and i.indnkeyatts = 1
  join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
 where c.relkind in ('r', 'p')`;

async function impliedFindings(ctx: CheckContext, tables: Table[]): Promise<ValidateFinding[]> {
  const candidates = tables.flatMap((t) => {
    const covered = new Set(t.constraints.filter((c) => c.type === 'f').flatMap((c) => c.columns));
    return t.columns.filter((col) => col.name.length > 3 && col.name.endsWith('_id') && !covered.has(col.name)).map((col) => ({ t, col }));
  });
  if (candidates.length === 0) return [];
  const { rows: pkTables } = await ctx.db.query<PkTable>(PK_TABLES_SQL);
  const findings: ValidateFinding[] = [];
  let done = 0;
  for (const { t, col } of candidates) {
    const stem = col.name.slice(0, -3);
    const guesses: [string, string][] =
      col.name === 'user_id'
        ? [
            ['auth', 'users'],
            [t.schema, 'users'],
          ]
        : [
            ...parentGuesses(stem).map((n): [string, string] => [t.schema, n]),
            ...parentGuesses(stem).map((n): [string, string] => ['public', n]),
          ];
    const parent = guesses.map(([s, n]) => pkTables.find((p) => p.schema === s && p.table === n)).find((p) => p !== undefined);
    const object = `${t.schema}.${t.name}.${col.name}`;
    const base = 'no foreign key';
    if (!parent) {
      findings.push({
        check: 'implied_reference',
        object,
        level: 'info',
        count: 0,
        samples: [],
        message: `${base}, and no table ${[...new Set(guesses.map(([s, n]) => `${s}.${n}`))].join(' or ')} to check it against`,
      });
      continue;
    }
    if (parent.schema === t.schema && parent.table === t.name && parent.pk === col.name) continue;
    const target = `${parent.schema}.${parent.table}(${parent.pk})`;
    if (!sameType(parent.type, col.type)) {
      findings.push({
        check: 'implied_reference',
        object,
        level: 'info',
        count: 0,
        samples: [],
        message: `${base}; it looks like a reference to ${target}, but the types differ (${col.type} vs ${parent.type})`,
      });
      continue;
    }
    const fk: ReferenceSpec = {
      columns: [col.name],
      references: { schema: parent.schema, table: parent.table, columns: [parent.pk], match: 'simple' },
    };
    const sql = countAndSamplesSql(qualified(t.schema, t.name), orphanPredicate(fk), keyColumns(t, [col.name]));
    const { count, samples } = await runCountAndSamples(ctx, sql);
    ctx.progress(++done, candidates.length, object);
    findings.push({
      check: 'implied_reference',
      object,
      level: 'info',
      count,
      samples,
      message: `${base}; it looks like a reference to ${target}${count ? `, and ${plural(count, 'row')} ${verb(count, 'has', 'have')} no match there` : ', and every value has a match'} (add the foreign key?)`,
      query: sql,
    });
  }
  return findings;
}

function sameType(a: string, b: string): boolean {
  const norm = (t: string) => t.replace(/^pg_catalog\./, '');
  return norm(a) === norm(b);
}

/** Orphaned rows per foreign key, then implied references (info). */
export async function checkOrphans(ctx: CheckContext): Promise<{ findings: ValidateFinding[]; checked: number }> {
  const tables = dataTables(ctx.catalog, ctx.schemas);
  const fks = tables.reduce((n, t) => n + t.constraints.filter((c) => c.type === 'f').length, 0);
  const findings = [...(await orphanFindings(ctx, tables)), ...(await impliedFindings(ctx, tables))];
  return { findings, checked: fks };
}
