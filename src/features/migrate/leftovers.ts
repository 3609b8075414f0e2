import type { Queryable } from '../../db/engine.js';
import type { ProjectSql } from './load.js';

/**
 * Extensions the Supabase platform has in every project (the list the Supabase CLI's remote reset keeps), plus
 * plpgsql: an in-place reset never drops them, even when a migration creates one.
 */
export const PLATFORM_EXTENSIONS = [
  'pg_graphql',
  'pg_net',
  'pg_stat_statements',
  'pgcrypto',
  'pgjwt',
  'pgsodium',
  'plpgsql',
  'supabase_vault',
  'uuid-ossp',
];

/** Event triggers the Supabase platform installs (its grants for pg_graphql/pg_cron/pg_net, PostgREST's schema-cache reload). */
export const PLATFORM_EVENT_TRIGGERS = [
  'issue_graphql_placeholder',
  'issue_pg_cron_access',
  'issue_pg_graphql_access',
  'issue_pg_net_access',
  'pgrst_ddl_watch',
  'pgrst_drop_watch',
];

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface RangeVar {
  schemaname?: string;
  relname?: string;
}

/** What the project's own files create outside the schemas a reset drops, read from their parse trees. */
function projectCreates(sql: ProjectSql) {
  const extensions = new Set<string>();
  const onTables: { kind: 'policy' | 'trigger'; name: string; table: string }[] = [];
  const routines: { schema: string; name: string }[] = [];
  for (const f of [...sql.migrations, ...sql.roles, ...sql.policies, ...sql.seeds]) {
    for (const s of f.statements) {
      const a = s.ast as Record<string, unknown>;
      // `create extension X` without IF NOT EXISTS fails when X survived the previous build
      if (s.kind === 'CreateExtensionStmt' && !a.if_not_exists && typeof a.extname === 'string') extensions.add(a.extname);
      // `create function extensions.f()` without OR REPLACE fails when f survived in a platform schema
      if (s.kind === 'CreateFunctionStmt' && !a.replace && Array.isArray(a.funcname) && a.funcname.length === 2) {
        const [schema, name] = (a.funcname as { String?: { sval?: string } }[]).map((n) => n.String?.sval);
        if (schema && name) routines.push({ schema, name });
      }
      const rel = (s.kind === 'CreatePolicyStmt' ? a.table : s.kind === 'CreateTrigStmt' && !a.replace ? a.relation : undefined) as
        RangeVar | undefined;
      const name = (s.kind === 'CreatePolicyStmt' ? a.policy_name : a.trigname) as string | undefined;
      // unqualified and public tables go with the dropped schemas; policies and triggers on auth.users, storage.objects… stay
      if (rel?.schemaname && rel.relname && name) {
        onTables.push({
          kind: s.kind === 'CreatePolicyStmt' ? 'policy' : 'trigger',
          name,
          table: `${q(rel.schemaname)}.${q(rel.relname)}`,
        });
      }
    }
  }
  return { extensions: [...extensions].filter((e) => !PLATFORM_EXTENSIONS.includes(e)), onTables, routines };
}

/**
 * The part of an in-place reset that a recreated database would not need: what the previous build left outside the
 * user schemas that would stop the next build (or that a fresh database would not have). Run in the reset's
 * transaction. Event triggers go first (before the schemas are dropped, so none fires during the wipe): every one not
 * owned by an extension and not the platform's. After the wipe ({@link dropLeftoversAfterWipe}): extensions the project
 * creates without IF NOT EXISTS, the project's policies and triggers on tables of platform schemas, its functions
 * there (created without OR REPLACE), and every
 * publication but Supabase's realtime ones (as the Supabase CLI's remote reset does).
 *
 * @example
 * const gone = await dropEventTriggers(tx); // ['event trigger "audit_ddl"']
 */
export async function dropEventTriggers(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `select e.evtname as name from pg_event_trigger e
      where e.evtname <> all($1::text[])
        and not exists (select 1 from pg_depend d where d.classid = 'pg_event_trigger'::regclass and d.objid = e.oid and d.deptype = 'e')
      order by 1`,
    [PLATFORM_EVENT_TRIGGERS],
  );
  if (rows.length > 0) await tx.exec(rows.map((r) => `drop event trigger ${q(r.name)};`).join('\n'));
  return rows.map((r) => `event trigger ${q(r.name)}`);
}

/** See {@link dropEventTriggers}: the rest, after the user schemas are gone. Returns what it dropped, named. */
export async function dropLeftoversAfterWipe(tx: Queryable, sql: ProjectSql): Promise<string[]> {
  const wanted = projectCreates(sql);
  const gone: string[] = [];
  const { rows: exts } = await tx.query<{ name: string }>(
    `select extname as name from pg_extension where extname = any($1::text[]) order by 1`,
    [wanted.extensions],
  );
  if (exts.length > 0) await tx.exec(exts.map((e) => `drop extension ${q(e.name)} cascade;`).join('\n'));
  gone.push(...exts.map((e) => `extension ${q(e.name)}`));
  if (wanted.onTables.length > 0) {
    const { rows: found } = await tx.query<{ kind: string; name: string; tbl: string }>(
      `select w.kind, w.name, w.tbl from jsonb_to_recordset($1::jsonb) w(kind text, name text, tbl text)
        where to_regclass(w.tbl) is not null
          and case w.kind when 'policy' then exists (select 1 from pg_policy p where p.polrelid = to_regclass(w.tbl) and p.polname = w.name)
                          else exists (select 1 from pg_trigger t where t.tgrelid = to_regclass(w.tbl) and t.tgname = w.name and not t.tgisinternal) end`,
      [JSON.stringify(wanted.onTables.map((t) => ({ kind: t.kind, name: t.name, tbl: t.table })))],
    );
    const seen = new Set<string>();
    for (const f of found) {
      const what = `${f.kind} ${q(f.name)} on ${f.tbl}`;
      if (seen.has(what)) continue;
      seen.add(what);
      await tx.exec(`drop ${f.kind} if exists ${q(f.name)} on ${f.tbl}`);
      gone.push(what);
    }
  }
  if (wanted.routines.length > 0) {
    // what survived the wipe (a platform schema), and belongs to no extension
    const { rows: fns } = await tx.query<{ sig: string }>(
      `select p.oid::regprocedure::text as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         join jsonb_to_recordset($1::jsonb) w(schema text, name text) on w.schema = n.nspname and w.name = p.proname
        where not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
        order by 1`,
      [JSON.stringify(wanted.routines)],
    );
    for (const f of fns) {
      await tx.exec(`drop routine if exists ${f.sig} cascade`);
      gone.push(`function ${f.sig}`);
    }
  }
  const { rows: pubs } = await tx.query<{ name: string }>(
    `select pubname as name from pg_publication where pubname not like 'supabase\\_realtime%' and pubname not like 'realtime\\_messages%' order by 1`,
  );
  if (pubs.length > 0) await tx.exec(pubs.map((p) => `drop publication ${q(p.name)};`).join('\n'));
  gone.push(...pubs.map((p) => `publication ${q(p.name)}`));
  return gone;
}
