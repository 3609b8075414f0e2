import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/engine.js';
import type { Statement } from '../../core/sql/split.js';
import type { SqlFile } from '../../core/project/files.js';

/**
 * What an idempotent file of roles/ or policies/ sets, named so the catalog can be asked whether it is still there:
 * tables (their policies, RLS flags and grants) and functions (their definitions and grants), as [schema, name].
 */
export interface DeclarativeTargets {
  tables: [string, string][];
  functions: [string, string][];
}

/** The table holding, per declarative file, the file's sha256 and the state of its targets right after it ran. */
const TABLE = 'supabase_migrations.keel_declarative';

const str = (n: unknown): string | undefined => (n as { String?: { sval?: string } })?.String?.sval;
const names = (list: unknown): string[] => (Array.isArray(list) ? list.map(str) : []).filter((s): s is string => s !== undefined);
/** [schema, name] of a RangeVar, or undefined when it is not schema-qualified (its meaning then hangs on search_path). */
function rangeVar(n: unknown): [string, string] | undefined {
  const r = n as { schemaname?: string; relname?: string; catalogname?: string };
  return r?.schemaname && r.relname && !r.catalogname ? [r.schemaname, r.relname] : undefined;
}
const qualified = (parts: string[]): [string, string] | undefined => (parts.length === 2 ? [parts[0]!, parts[1]!] : undefined);

const RLS_SUBTYPES = new Set(['AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity']);

/**
 * The targets of a file whose every statement is one Keel can check in the catalog: CREATE / ALTER / DROP POLICY,
 * ALTER TABLE … ENABLE / FORCE ROW LEVEL SECURITY, CREATE FUNCTION, and GRANT / REVOKE on named tables or functions,
 * all schema-qualified. Anything else (a DO block, `grant … on all tables in schema`, an unqualified name, a comment)
 * returns undefined: such a file runs on every migrate, as before.
 *
 * @example
 * declarativeTargets(prepared.statements) // { tables: [['public', 'teams']], functions: [] }
 */
export function declarativeTargets(statements: Statement[]): DeclarativeTargets | undefined {
  const tables: [string, string][] = [];
  const functions: [string, string][] = [];
  for (const s of statements) {
    const ast = s.ast as Record<string, unknown>;
    let t: [string, string] | undefined;
    switch (s.kind) {
      case 'CreatePolicyStmt':
      case 'AlterPolicyStmt':
        t = rangeVar(ast.table);
        if (!t) return undefined;
        tables.push(t);
        break;
      case 'DropStmt': {
        if (ast.removeType !== 'OBJECT_POLICY' || !Array.isArray(ast.objects)) return undefined;
        for (const o of ast.objects) {
          const parts = names((o as { List?: { items?: unknown[] } }).List?.items);
          t = parts.length === 3 ? [parts[0]!, parts[1]!] : undefined;
          if (!t) return undefined;
          tables.push(t);
        }
        break;
      }
      case 'AlterTableStmt': {
        const cmds = Array.isArray(ast.cmds) ? ast.cmds : [];
        const onlyRls = cmds.every((c) => RLS_SUBTYPES.has((c as { AlterTableCmd?: { subtype?: string } }).AlterTableCmd?.subtype ?? ''));
        t = rangeVar(ast.relation);
        if (!onlyRls || cmds.length === 0 || !t || ast.objtype !== 'OBJECT_TABLE') return undefined;
        tables.push(t);
        break;
      }
      case 'CreateFunctionStmt':
        t = qualified(names(ast.funcname));
        if (!t) return undefined;
        functions.push(t);
        break;
      case 'GrantStmt': {
        if (ast.targtype !== 'ACL_TARGET_OBJECT' || !Array.isArray(ast.objects)) return undefined;
        for (const o of ast.objects as Record<string, unknown>[]) {
          if (ast.objtype === 'OBJECT_TABLE') t = rangeVar(o.RangeVar);
          else if (ast.objtype === 'OBJECT_FUNCTION') t = qualified(names((o.ObjectWithArgs as { objname?: unknown })?.objname));
          else return undefined;
          if (!t) return undefined;
          (ast.objtype === 'OBJECT_TABLE' ? tables : functions).push(t);
        }
        break;
      }
      default:
        return undefined;
    }
  }
  return { tables, functions };
}

const key = ([schema, name]: [string, string]) => JSON.stringify([schema, name]);

/**
 * One query for the current state of every target: per table, its RLS flags, grants and policies; per function name,
 * every overload's definition and grants. Absent objects are absent keys. A policy or function is its whole catalog row
 * (oid, roles, the stored expression trees, the source, the grants), hashed: a `drop` and `create` of the same text
 * counts as a change (the file then runs once more), and nothing is deparsed (`pg_get_expr` per policy took 0.1 s of a
 * 1,400-table migrate).
 */
export async function readTargetStates(db: Queryable, targets: DeclarativeTargets[]): Promise<Map<string, string>> {
  const tables = [...new Map(targets.flatMap((t) => t.tables).map((t) => [key(t), t])).values()];
  const functions = [...new Map(targets.flatMap((t) => t.functions).map((t) => [key(t), t])).values()];
  if (tables.length + functions.length === 0) return new Map();
  const { rows } = await db.query<{ kind: string; schema: string; name: string; state: string }>(
    `with wanted_tables as (select * from unnest($1::text[], $2::text[]) as w(schema, name)),
          wanted_functions as (select * from unnest($3::text[], $4::text[]) as w(schema, name))
     select 't' as kind, w.schema, w.name,
            concat_ws('|', c.relrowsecurity, c.relforcerowsecurity, c.relacl::text,
              (select string_agg(md5(p::text), ',' order by p.polname) from pg_policy p where p.polrelid = c.oid)) as state
       from wanted_tables w
       join pg_namespace n on n.nspname = w.schema
       join pg_class c on c.relnamespace = n.oid and c.relname = w.name
     union all
     select 'f', w.schema, w.name, string_agg(md5(p::text), ',' order by p.oid::regprocedure::text)
       from wanted_functions w
       join pg_namespace n on n.nspname = w.schema
       join pg_proc p on p.pronamespace = n.oid and p.proname = w.name and p.prokind in ('f', 'p')
      group by w.schema, w.name`,
    [tables.map((t) => t[0]), tables.map((t) => t[1]), functions.map((f) => f[0]), functions.map((f) => f[1])],
  );
  return new Map(rows.map((r) => [`${r.kind}${key([r.schema, r.name])}`, r.state]));
}

const keys = (t: DeclarativeTargets) => [...t.tables.map((x) => `t${key(x)}`), ...t.functions.map((x) => `f${key(x)}`)];

/** Do the two name a target in common? */
export function sharesTarget(a: DeclarativeTargets, b: DeclarativeTargets): boolean {
  if (b.tables.length + b.functions.length === 0) return false;
  const other = new Set(keys(b));
  return keys(a).some((k) => other.has(k));
}

/** `states` with the states of `targets` replaced by `fresh` (read for those targets alone; absent keys are absent objects). */
export function mergeStates(states: Map<string, string>, targets: DeclarativeTargets, fresh: Map<string, string>): Map<string, string> {
  const merged = new Map(states);
  for (const k of keys(targets)) {
    const v = fresh.get(k);
    if (v === undefined) merged.delete(k);
    else merged.set(k, v);
  }
  return merged;
}

/** The state of one file's targets, as a sha256 of each target's state (or "absent"), in the file's order. */
export function targetState(targets: DeclarativeTargets, states: Map<string, string>): string {
  const h = createHash('sha256');
  for (const t of targets.tables) h.update(`t${key(t)}=${states.get(`t${key(t)}`) ?? 'absent'}\n`);
  for (const f of targets.functions) h.update(`f${key(f)}=${states.get(`f${key(f)}`) ?? 'absent'}\n`);
  return h.digest('hex');
}

/** What each declarative file left last time: path → { sha256, state }; empty before the first record. */
export async function readDeclarativeRecords(db: Queryable): Promise<Map<string, { sha256: string; state: string }>> {
  const { rows: ok } = await db.query<{ ok: boolean }>(`select to_regclass('${TABLE}') is not null as ok`);
  if (!ok[0]?.ok) return new Map();
  const { rows } = await db.query<{ path: string; sha256: string; state: string }>(`select path, sha256, state from ${TABLE}`);
  return new Map(rows.map((r) => [r.path, { sha256: r.sha256, state: r.state }]));
}

/**
 * Records, for the files just applied, their sha256 and their targets' state as it is now (one query to read the
 * states, one to write). Files without checkable targets are not recorded (they always run).
 */
export async function recordDeclarative(tx: Queryable, files: { file: SqlFile; targets: DeclarativeTargets }[]): Promise<void> {
  if (files.length === 0) return;
  await tx.exec(`create schema if not exists supabase_migrations;
    create table if not exists ${TABLE} (path text not null primary key, sha256 text not null, state text not null,
      applied_at timestamptz not null default now())`);
  const states = await readTargetStates(
    tx,
    files.map((f) => f.targets),
  );
  await tx.query(
    `insert into ${TABLE} (path, sha256, state) select * from unnest($1::text[], $2::text[], $3::text[])
     on conflict (path) do update set sha256 = excluded.sha256, state = excluded.state, applied_at = now()`,
    [files.map((f) => f.file.file), files.map((f) => f.file.sha256), files.map((f) => targetState(f.targets, states))],
  );
}

/** Forgets every record (reset, restore): the next migrate applies every declarative file. */
export async function clearDeclarativeRecords(tx: Queryable): Promise<void> {
  await tx.exec(`do $$ begin if to_regclass('${TABLE}') is not null then truncate ${TABLE}; end if; end $$`);
}
