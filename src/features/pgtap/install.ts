/**
 * pgTAP in the database: created once in schema `extensions` (PGlite loads it from `@electric-sql/pglite-pgtap`, a
 * server from its own pgtap package), with execute granted to the Supabase API roles so suites can test as a user.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
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
  /**
   * `extension`: CREATE EXTENSION pgtap. `script`: the server has no pgtap extension files, so pgTAP's plain install
   * script (from the @electric-sql/pglite-pgtap package) was run into the schema; it is all SQL and PL/pgSQL.
   */
  source: 'extension' | 'script';
}

/**
 * Makes sure pgTAP is installed, and returns where. Idempotent; run it in a transaction that commits, so later runs
 * (and pg_prove on the same database) find it. A server without the pgtap extension files gets pgTAP's plain install
 * script instead (see {@link installPgtapScript}), unless `script` is false.
 *
 * @throws KeelError `KEEL_NO_PGTAP` when the server has no pgtap extension files and the script is not allowed or
 *   cannot be read.
 * @example
 * await engine.transaction((tx) => installPgtap(tx, engine.kind)); // { schema: 'extensions', version: '1.3.5', created: true, source: 'extension' }
 */
export async function installPgtap(tx: Queryable, kind: EngineKind, opts: { script?: boolean } = {}): Promise<PgtapInstall> {
  const existing = await installed(tx);
  if (existing) return { ...existing, created: false };
  const { rows } = await tx.query<{ available: boolean; major: string }>(
    `select exists (select 1 from pg_available_extensions where name = 'pgtap') as available,
            (current_setting('server_version_num')::int / 10000)::text as major`,
  );
  if (!rows[0]?.available) {
    if (kind === 'pglite' || opts.script === false) throw noPgtap(kind, rows[0]?.major ?? '<major>');
    return installPgtapScript(tx, rows[0]?.major ?? '<major>');
  }
  await tx.exec(`create schema if not exists ${PGTAP_SCHEMA}; create extension if not exists pgtap with schema ${PGTAP_SCHEMA}`);
  await grantToApiRoles(tx, 'extension');
  const now = await installed(tx);
  return { schema: now?.schema ?? PGTAP_SCHEMA, version: now?.version ?? '', created: true, source: 'extension' };
}

async function installed(tx: Queryable): Promise<Omit<PgtapInstall, 'created'> | undefined> {
  const { rows } = await tx.query<{ schema: string; version: string; source: 'extension' | 'script' }>(
    `select n.nspname as schema, e.extversion as version, 'extension' as source
       from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgtap'
     union all
     select '${PGTAP_SCHEMA}', coalesce(substring(obj_description(p.oid, 'pg_proc') from 'pgTAP ([0-9.]+)'), ''), 'script'
       from pg_proc p where p.oid = to_regprocedure('${PGTAP_SCHEMA}.pgtap_version()')
        and not exists (select 1 from pg_extension where extname = 'pgtap')`,
  );
  return rows[0];
}

/** Where @electric-sql/pglite-pgtap keeps pgTAP's files. */
function pgtapTarball(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite-pgtap');
  return path.join(path.dirname(entry), 'pgtap.tar.gz');
}

/** One file out of a gzipped tar (ustar), or undefined. */
function readFromTarball(tarball: string, name: string): string | undefined {
  const tar = gunzipSync(fs.readFileSync(tarball));
  const field = (at: number, len: number) =>
    tar
      .subarray(at, at + len)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length;) {
    const base = field(at, 100);
    if (!base) break;
    const prefix = field(at + 345, 155);
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const full = prefix ? `${prefix}/${base}` : base;
    if (full === name || full.endsWith(`/${name}`)) return tar.subarray(at + 512, at + 512 + size).toString('utf8');
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

const SCRIPT = 'share/postgresql/extension/pgtap.sql';
const VERSION_IN_CONTROL = /default_version\s*=\s*'([^']+)'/;

/**
 * pgTAP without the extension: runs its plain install script (`pgtap.sql`, the same functions as the extension; all SQL
 * and PL/pgSQL, no C) into schema `extensions`, marks it with a comment on `pgtap_version()` so later runs find it, and
 * grants execute on the functions it created to the API roles.
 */
export async function installPgtapScript(tx: Queryable, major = '<major>'): Promise<PgtapInstall> {
  let script: string | undefined;
  let version = '';
  try {
    const tarball = pgtapTarball();
    script = readFromTarball(tarball, SCRIPT);
    version = VERSION_IN_CONTROL.exec(readFromTarball(tarball, 'share/postgresql/extension/pgtap.control') ?? '')?.[1] ?? '';
  } catch {
    script = undefined;
  }
  if (!script) throw noPgtap('postgres', major);
  const { rows } = await tx.query<{ path: string }>(`select current_setting('search_path') as path`);
  await tx.exec(`create schema if not exists ${PGTAP_SCHEMA}; set local search_path = ${PGTAP_SCHEMA}`);
  await tx.exec(script);
  await tx.query(`select set_config('search_path', $1, true)`, [rows[0]?.path ?? '"$user", public']);
  const comment = `pgTAP ${version} installed by keel test db from @electric-sql/pglite-pgtap (the server has no pgtap extension)`;
  await tx.exec(`comment on function ${PGTAP_SCHEMA}.pgtap_version() is '${comment.replace(/'/g, "''")}'`);
  await grantToApiRoles(tx, 'script');
  return { schema: PGTAP_SCHEMA, version, created: true, source: 'script' };
}

/**
 * Usage on the schema and execute on every pgTAP function, for those of anon, authenticated, service_role that exist.
 * pgTAP's functions are those of the extension, or (script) those in the schema that belong to no extension.
 */
async function grantToApiRoles(tx: Queryable, source: 'extension' | 'script'): Promise<void> {
  const functions =
    source === 'extension'
      ? `select p.oid from pg_depend d join pg_proc p on p.oid = d.objid
          where d.classid = 'pg_proc'::regclass and d.refclassid = 'pg_extension'::regclass and d.deptype = 'e'
            and d.refobjid = (select oid from pg_extension where extname = 'pgtap')`
      : `select p.oid from pg_proc p where p.pronamespace = '${PGTAP_SCHEMA}'::regnamespace
            and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`;
  await tx.query(
    `do $grant$
     declare
       roles text;
       fns text;
     begin
       select string_agg(quote_ident(rolname), ', ') into roles from pg_roles where rolname in (${API_ROLES.map((r) => `'${r}'`).join(', ')});
       if roles is null then return; end if;
       execute format('grant usage on schema %I to %s', '${PGTAP_SCHEMA}', roles);
       select string_agg(oid::regprocedure::text, ', ') into fns from (${functions}) f;
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
