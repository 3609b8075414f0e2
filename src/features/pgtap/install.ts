/**
 * pgTAP in the database: created once in schema `extensions` (PGlite loads it from `@electric-sql/pglite-pgtap`, a
 * server from its own pgtap package), with execute granted to the Supabase API roles so suites can test as a user.
 */
import { KeelError } from '../../core/errors.js';
import type { EngineKind, Queryable } from '../../db/engine.js';

export const PGTAP_SCHEMA = 'extensions';
const API_ROLES = ['anon', 'authenticated', 'service_role'];

export interface PgtapInstall {
  /** The schema pgTAP lives in (an existing install elsewhere, e.g. `public`, is used where it is). */
  schema: string;
  version: string;
  /** False when it was already installed. */
  created: boolean;
}

/**
 * Makes sure pgTAP is installed, and returns where. Idempotent; run it in a transaction that commits, so later runs
 * (and pg_prove on the same database) find it.
 *
 * @throws KeelError `KEEL_NO_PGTAP` when the server has no pgtap extension files.
 * @example
 * await engine.transaction((tx) => installPgtap(tx, engine.kind)); // { schema: 'extensions', version: '1.3.5', created: true }
 */
export async function installPgtap(tx: Queryable, kind: EngineKind): Promise<PgtapInstall> {
  const existing = await installed(tx);
  if (existing) return { ...existing, created: false };
  const { rows } = await tx.query<{ available: boolean; major: string }>(
    `select exists (select 1 from pg_available_extensions where name = 'pgtap') as available,
            (current_setting('server_version_num')::int / 10000)::text as major`,
  );
  if (!rows[0]?.available) throw noPgtap(kind, rows[0]?.major ?? '<major>');
  await tx.exec(`create schema if not exists ${PGTAP_SCHEMA}; create extension if not exists pgtap with schema ${PGTAP_SCHEMA}`);
  await grantToApiRoles(tx);
  const now = await installed(tx);
  return { schema: now?.schema ?? PGTAP_SCHEMA, version: now?.version ?? '', created: true };
}

async function installed(tx: Queryable): Promise<{ schema: string; version: string } | undefined> {
  const { rows } = await tx.query<{ schema: string; version: string }>(
    `select n.nspname as schema, e.extversion as version
       from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgtap'`,
  );
  return rows[0];
}

/** Usage on the schema and execute on every pgTAP function, for those of anon, authenticated, service_role that exist. */
async function grantToApiRoles(tx: Queryable): Promise<void> {
  await tx.query(
    `do $grant$
     declare
       roles text;
       fns text;
       schema text;
     begin
       select string_agg(quote_ident(rolname), ', ') into roles from pg_roles where rolname in (${API_ROLES.map((r) => `'${r}'`).join(', ')});
       if roles is null then return; end if;
       select n.nspname into schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgtap';
       execute format('grant usage on schema %I to %s', schema, roles);
       select string_agg(p.oid::regprocedure::text, ', ') into fns
         from pg_depend d join pg_proc p on p.oid = d.objid
        where d.classid = 'pg_proc'::regclass and d.refclassid = 'pg_extension'::regclass and d.deptype = 'e'
          and d.refobjid = (select oid from pg_extension where extname = 'pgtap');
       if fns is not null then execute format('grant execute on function %s to %s', fns, roles); end if;
     end
     $grant$`,
  );
}

function noPgtap(kind: EngineKind, major: string): KeelError {
  if (kind === 'pglite') {
    return new KeelError('KEEL_NO_PGTAP', 'the embedded database was opened without the pgTAP extension module', {
      hint: 'this is a bug in Keel: keel test db opens PGlite with @electric-sql/pglite-pgtap registered',
    });
  }
  return new KeelError('KEEL_NO_PGTAP', `the server has no pgTAP: install postgresql-${major}-pgtap`, {
    hint: `on Debian/Ubuntu: apt-get install postgresql-${major}-pgtap (other systems: https://pgtap.org); or run the suites on the embedded database (no --db-url)`,
  });
}
