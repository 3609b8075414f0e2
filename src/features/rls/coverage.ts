import type { Engine } from '../../db/engine.js';
import { quoteAlways as q } from '../../core/sql/quote.js';
import { DbError } from '../../core/errors.js';
import { asUser } from './as-user.js';
import type { Operation } from './run.js';
import { tableName, type RlsSpec } from './spec.js';

export interface Coverage {
  /** Tables in the project's schemas that the spec does not mention. */
  uncovered: string[];
  /** Operations a table's entry leaves out. */
  missingOps: { table: string; op: Operation }[];
  /** Personas an operation does not check. */
  missingPersonas: { table: string; op: Operation; personas: string[] }[];
}

const OPS: Operation[] = ['select', 'insert', 'update', 'delete'];

/** What the spec does not cover: tables, operations, and personas per operation. */
export async function specCoverage(engine: Engine, spec: RlsSpec, schemas: string[]): Promise<Coverage> {
  const { rows } = await engine.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1::text[]) order by 1, 2`,
    [schemas],
  );
  const named = new Set(spec.tables.map((t) => t.table));
  const all = [...spec.personas.keys()];
  const missingOps: Coverage['missingOps'] = [];
  const missingPersonas: Coverage['missingPersonas'] = [];
  for (const t of spec.tables) {
    for (const op of OPS) {
      const checked = op === 'select' ? t.select : t[op]?.personas;
      if (!checked) missingOps.push({ table: t.table, op });
      else {
        const missing = all.filter((p) => !checked.has(p));
        if (missing.length > 0) missingPersonas.push({ table: t.table, op, personas: missing });
      }
    }
  }
  return { uncovered: rows.map((r) => tableName(r.schema, r.name)).filter((n) => !named.has(n)), missingOps, missingPersonas };
}

/** A persona could change another persona's rows where the spec never allowed it that operation. */
export interface ProbeFinding {
  table: string;
  op: 'update' | 'delete';
  persona: string;
  owner: string;
  column: string;
  rows: number;
  sql: string;
}

const OWNER_COLUMNS = ['user_id', 'owner_id', 'created_by', 'profile_id', 'author_id'];

/**
 * The cross-tenant probe: on every table with an owner-like column, each persona with a user id tries to update and
 * delete the rows owned by each other persona. Unless the spec allows that persona the operation on that table, any
 * row touched is a finding — a guard for what the spec forgot to say.
 */
export async function crossTenantProbe(engine: Engine, spec: RlsSpec, schemas: string[]): Promise<ProbeFinding[]> {
  const { rows: columns } = await engine.query<{ schema: string; name: string; col: string }>(
    `select n.nspname as schema, c.relname as name, a.attname as col
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1::text[]) and a.attnum > 0 and not a.attisdropped
        and a.attname = any($2::text[]) order by 1, 2, 3`,
    [schemas, OWNER_COLUMNS],
  );
  const users = [...spec.personas.values()].filter((p) => p.sub && p.role === 'authenticated');
  const findings: ProbeFinding[] = [];
  const specs = new Map<string, RlsSpec['tables'][number]>();
  for (const t of spec.tables) if (!specs.has(t.table)) specs.set(t.table, t); // the first, as a search would find
  for (const { schema, name, col } of columns) {
    const tbl = tableName(schema, name);
    const tableSpec = specs.get(tbl);
    const quoted = `${q(schema)}.${q(name)}`;
    for (const p of users) {
      for (const op of ['update', 'delete'] as const) {
        if (tableSpec?.[op]?.personas.get(p.name)?.allow) continue; // the spec allows it: not a leak
        for (const owner of users) {
          if (owner === p) continue;
          const sql =
            op === 'update'
              ? `update ${quoted} set ${q(col)} = ${q(col)} where ${q(col)} = $1`
              : `delete from ${quoted} where ${q(col)} = $1`;
          let touched = 0;
          try {
            touched = await asUser(engine, p, async (db) => (await db.query(sql, [owner.sub])).affectedRows ?? 0);
          } catch (err) {
            if (!(err instanceof DbError)) throw err; // refused, or a constraint stopped it: nothing leaked
          }
          if (touched > 0) findings.push({ table: tbl, op, persona: p.name, owner: owner.name, column: col, rows: touched, sql });
        }
      }
    }
  }
  return findings;
}
