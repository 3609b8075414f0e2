import { DbError, KeelError, type SourceLocation } from '../../core/errors.js';
import { quoteAlways } from '../../core/sql/quote.js';
import { didYouMean } from '../../core/suggest.js';
import type { Queryable } from '../../db/engine.js';
import { tableName, type RlsSpec } from './spec.js';

interface Problem {
  message: string;
  location?: SourceLocation;
}

/**
 * Checks a spec against the database it is about to run on, before any cell runs: every table exists (with the
 * nearest names when not), every persona's role exists, every column of a sample (`row`, `where`, `set`, per
 * operation or per persona) exists, every sample value is valid input for its column's type, and `{ ids: [...] }`
 * is only asked of tables with a primary key. Problems are one KeelError (KEEL_RLS_SPEC), each at its
 * `rls.yaml:line:col`.
 *
 * @example
 * await checkRlsSpec(engine, spec); // throws before runRlsSpec would run a cell against a table that is not there
 */
export async function checkRlsSpec(db: Queryable, spec: RlsSpec, target: string): Promise<void> {
  const problems: Problem[] = [];
  const add = (at: string[], message: string) => problems.push({ message, location: spec.locate(at) });

  const roles = new Set((await db.query<{ name: string }>('select rolname::text as name from pg_roles')).rows.map((r) => r.name));
  for (const p of spec.personas.values()) {
    if (!roles.has(p.role))
      add(
        ['personas', p.name, 'role'],
        `persona "${p.name}": role ${p.role} does not exist in ${target} (the Supabase shim creates it; run with a reset, or on a Supabase database)`,
      );
  }

  const relations = (
    await db.query<{ schema: string; name: string }>(
      `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`,
    )
  ).rows.map((r) => tableName(r.schema, r.name));
  const known = new Set(relations);
  for (const t of spec.tables) {
    const tableAt = ['tables', t.key];
    if (!known.has(t.table)) {
      add(tableAt, `table ${t.table} does not exist in ${target}${didYouMean(t.table, relations)}`);
      continue;
    }
    const cols = new Map(
      (
        await db.query<{ name: string; type: string; pk: boolean }>(
          `select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type,
                  exists (select 1 from pg_index i where i.indrelid = a.attrelid and i.indisprimary and a.attnum = any(i.indkey)) as pk
             from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
          [`${quoteAlways(t.schema)}.${quoteAlways(t.name)}`],
        )
      ).rows.map((c) => [c.name, c]),
    );
    if (t.select && [...t.select.values()].some((e) => e.kind === 'ids') && ![...cols.values()].some((c) => c.pk)) {
      for (const [name, e] of t.select)
        if (e.kind === 'ids')
          add([...tableAt, 'select', name], `${t.table} has no primary key: { ids: [...] } cannot name its rows (use a count)`);
    }
    // Every sample: [path to it, its columns → values].
    const samples: [string[], Record<string, unknown>][] = [];
    for (const op of ['insert', 'update', 'delete'] as const) {
      const body = t[op] as
        | {
            row?: Record<string, unknown>;
            where?: Record<string, unknown>;
            set?: Record<string, unknown>;
            personas: Map<string, Record<string, unknown>>;
          }
        | undefined;
      if (!body) continue;
      for (const k of ['row', 'where', 'set'] as const) if (body[k]) samples.push([[...tableAt, op, k], body[k]!]);
      for (const [name, w] of body.personas) {
        for (const k of ['row', 'where', 'set'] as const)
          if (w[k]) samples.push([[...tableAt, op, name, k], w[k] as Record<string, unknown>]);
      }
    }
    for (const [at, values] of samples) {
      for (const [col, value] of Object.entries(values)) {
        const c = cols.get(col);
        if (!c) {
          add([...at, col], `${t.table} has no column "${col}"${didYouMean(col, [...cols.keys()])}`);
          continue;
        }
        if (value === null || !['string', 'number', 'boolean'].includes(typeof value)) continue;
        try {
          await db.query(`select ($1::text)::${c.type}`, [String(value as string | number | boolean)]);
        } catch (err) {
          // Only a value the type refuses (class 22: invalid text, out of range); anything else is for the cell to report.
          if (err instanceof DbError && err.code?.startsWith('22'))
            add([...at, col], `${t.table}.${col} is ${c.type}: ${JSON.stringify(value)} is not a valid value (${err.message})`);
        }
      }
    }
  }
  if (problems.length === 0) return;
  const hint = 'fix the spec (see docs/rls-spec.md), or the migrations if the spec is right; no cell was run';
  const at = (p: Problem) => (p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : spec.file);
  if (problems.length === 1) {
    const p = problems[0]!;
    throw new KeelError('KEEL_RLS_SPEC', p.location ? p.message : `${spec.file}: ${p.message}`, {
      ...(p.location && { location: p.location }),
      hint,
    });
  }
  throw new KeelError('KEEL_RLS_SPEC', `${spec.file} has ${problems.length} problems`, {
    problems: problems.map((p) => `${at(p)}: ${p.message}`),
    hint,
  });
}
