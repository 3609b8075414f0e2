import { quoteAlways as q } from '../../core/sql/quote.js';
import { DbError } from '../../core/errors.js';
import type { Engine, Queryable } from '../../db/engine.js';
import { asUser } from './as-user.js';
import type { Persona, RlsSpec, SelectExpectation, TableSpec, WriteExpectation } from './spec.js';

export type Operation = 'select' | 'insert' | 'update' | 'delete';

/** One persona × table × operation check. */
export interface Cell {
  table: string;
  op: Operation;
  persona: string;
  expected: string;
  actual: string;
  ok: boolean;
  sql: string;
  params: unknown[];
  /** Rows the persona saw (select), at most 5, when the cell failed. */
  rows?: unknown[];
  error?: { code?: string; message: string };
}

/** Errors that mean "refused by RLS or privileges", as opposed to a bad sample row. */
const REFUSED = new Set(['42501']);

/** Primary-key columns of a table (for `{ ids: [...] }` expectations), read as the table owner. */
type Table = Pick<TableSpec, 'table' | 'schema' | 'name'>;
const sqlName = (t: Table) => `${q(t.schema)}.${q(t.name)}`;

async function primaryKey(db: Queryable, t: Table): Promise<string[]> {
  const { rows } = await db.query<{ col: string }>(
    `select a.attname as col from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
    [sqlName(t)],
  );
  return rows.map((r) => r.col);
}

function describeSelect(e: SelectExpectation): string {
  return e.kind === 'count' ? String(e.count) : e.kind === 'ids' ? `ids(${e.ids.length})` : e.kind;
}

function errorOf(err: unknown): { code?: string; message: string } {
  return err instanceof DbError ? { code: err.code, message: err.message } : { message: (err as Error).message };
}

async function selectCell(
  engine: Engine,
  t: Table,
  persona: Persona,
  expected: SelectExpectation,
  total: number,
  pk: string[],
): Promise<Cell> {
  const keyExpr = pk.length > 0 ? pk.map((c) => `${q(c)}::text`).join(` || ',' || `) : 'null';
  const sql = `select ${keyExpr} as key from ${sqlName(t)}`;
  const base = { table: t.table, op: 'select' as const, persona: persona.name, expected: describeSelect(expected), sql, params: [] };
  try {
    const rows = await asUser(engine, persona, async (db) => (await db.query<{ key: string | null }>(sql)).rows);
    const keys = rows.map((r) => r.key ?? '');
    let ok: boolean;
    if (expected.kind === 'all') ok = keys.length === total;
    else if (expected.kind === 'none') ok = keys.length === 0;
    else if (expected.kind === 'count') ok = keys.length === expected.count;
    else ok = [...keys].sort().join('\n') === [...expected.ids].sort().join('\n');
    const actual =
      expected.kind === 'ids' ? `${keys.length} rows` : expected.kind === 'all' ? `${keys.length} of ${total}` : String(keys.length);
    return { ...base, actual, ok, ...(ok ? {} : { rows: keys.slice(0, 5) }) };
  } catch (err) {
    const e = errorOf(err);
    // A refused SELECT (no privilege) sees nothing: that satisfies `none`.
    const ok = expected.kind === 'none' && REFUSED.has(e.code ?? '');
    return { ...base, actual: ok ? 'refused' : 'error', ok, ...(ok ? {} : { error: e }) };
  }
}

function whereClause(where: Record<string, unknown>, offset: number): { sql: string; params: unknown[] } {
  const cols = Object.keys(where);
  return {
    sql: cols.map((c, i) => `${q(c)} = $${offset + i + 1}`).join(' and ') || 'true',
    params: cols.map((c) => param(where[c])),
  };
}

/** JSON-ish sample values go as JSON text (jsonb columns); scalars and arrays as they are. */
function param(v: unknown): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? JSON.stringify(v) : v;
}

function writeStatement(op: 'insert' | 'update' | 'delete', t: Table, e: WriteExpectation) {
  if (op === 'insert') {
    const cols = Object.keys(e.row!);
    return {
      sql: `insert into ${sqlName(t)} (${cols.map(q).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      params: cols.map((c) => param(e.row![c])),
    };
  }
  if (op === 'update') {
    const cols = Object.keys(e.set!);
    const w = whereClause(e.where!, cols.length);
    return {
      sql: `update ${sqlName(t)} set ${cols.map((c, i) => `${q(c)} = $${i + 1}`).join(', ')} where ${w.sql}`,
      params: [...cols.map((c) => param(e.set![c])), ...w.params],
    };
  }
  const w = whereClause(e.where!, 0);
  return { sql: `delete from ${sqlName(t)} where ${w.sql}`, params: w.params };
}

async function writeCell(
  engine: Engine,
  t: Table,
  op: 'insert' | 'update' | 'delete',
  persona: Persona,
  e: WriteExpectation,
): Promise<Cell> {
  const { sql, params } = writeStatement(op, t, e);
  const base = { table: t.table, op, persona: persona.name, expected: e.allow ? 'allow' : 'deny', sql, params };
  try {
    const affected = await asUser(engine, persona, async (db) => (await db.query(sql, params)).affectedRows ?? 0);
    const allowed = op === 'insert' ? true : affected > 0;
    const actual = op === 'insert' ? 'allowed' : `${affected} row${affected === 1 ? '' : 's'}`;
    return { ...base, actual, ok: allowed === e.allow };
  } catch (err) {
    const error = errorOf(err);
    if (REFUSED.has(error.code ?? '')) return { ...base, actual: 'refused', ok: !e.allow, ...(e.allow ? { error } : {}) };
    // Anything else (FK, NOT NULL, unique, type) means the sample row is wrong, not the policy: always a failure.
    return { ...base, actual: 'error', ok: false, error };
  }
}

/**
 * Runs every cell of a spec: each persona's select, insert, update and delete on each table, each in its own
 * rolled-back transaction as that persona.
 *
 * @example
 * const cells = await runRlsSpec(engine, loadRlsSpec(path, 'supabase/tests/rls.yaml'));
 */
export async function runRlsSpec(engine: Engine, spec: RlsSpec): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const t of spec.tables) {
    cells.push(...(await runTable(engine, spec, t)));
  }
  return cells;
}

async function runTable(engine: Engine, spec: RlsSpec, t: TableSpec): Promise<Cell[]> {
  const cells: Cell[] = [];
  const persona = (name: string) => spec.personas.get(name)!;
  if (t.select) {
    const total = Number((await engine.query<{ n: string }>(`select count(*) as n from ${sqlName(t)}`)).rows[0]!.n);
    const pk = await primaryKey(engine, t);
    for (const [name, e] of t.select) cells.push(await selectCell(engine, t, persona(name), e, total, pk));
  }
  for (const op of ['insert', 'update', 'delete'] as const) {
    const body = t[op];
    if (!body) continue;
    for (const [name, e] of body.personas) {
      const filled: WriteExpectation = {
        allow: e.allow,
        row: e.row ?? (body as { row?: Record<string, unknown> }).row,
        where: e.where ?? (body as { where?: Record<string, unknown> }).where,
        set: e.set ?? (body as { set?: Record<string, unknown> }).set,
      };
      cells.push(await writeCell(engine, t, op, persona(name), filled));
    }
  }
  return cells;
}
