import type { Queryable } from '../engine.js';
import { KEEL_LOCK_KEY } from '../locks.js';

/**
 * The Supabase surface that migrations of Supabase projects rely on, for databases that are not Supabase: the three API
 * roles, `auth.users` and `auth.uid()/role()/jwt()/email()`, the `extensions` schema with uuid-ossp and pgcrypto, and
 * default privileges in `public`. Every statement is idempotent; on a real Supabase database nothing is installed.
 */
export const SHIM_MARKER = 'keel: supabase shim';
/** Bumped whenever the shim's SQL changes, so databases with an older shim get the new one. */
export const SHIM_VERSION = 1;
const SHIM_COMMENT = `${SHIM_MARKER} v${SHIM_VERSION}`;

const ROLES = `
do $keel$
declare r record;
begin
  for r in select * from (values ('anon', false), ('authenticated', false), ('service_role', true)) v(name, bypass) loop
    if not exists (select from pg_roles where rolname = r.name) then
      begin
        execute format('create role %I nologin noinherit%s', r.name, case when r.bypass then ' bypassrls' else '' end);
      exception when duplicate_object or unique_violation then null; -- another database on this server made it first
      end;
    end if;
    begin
      execute format('grant %I to current_user', r.name);
    exception when others then null; -- superusers need no membership; managed servers may refuse it
    end;
  end loop;
end $keel$;`;

const AUTH = `
create schema if not exists auth;
comment on schema auth is '${SHIM_COMMENT}';
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key default gen_random_uuid(),
  aud varchar(255) default 'authenticated',
  role varchar(255) default 'authenticated',
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  recovery_token varchar(255),
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb default '{}'::jsonb,
  raw_user_meta_data jsonb default '{}'::jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text unique default null,
  phone_confirmed_at timestamptz,
  banned_until timestamptz,
  deleted_at timestamptz,
  is_sso_user boolean not null default false,
  is_anonymous boolean not null default false
);
create or replace function auth.jwt() returns jsonb language sql stable as $keel$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$keel$;
create or replace function auth.uid() returns uuid language sql stable as $keel$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
  )::uuid
$keel$;
create or replace function auth.role() returns text language sql stable as $keel$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
  )::text
$keel$;
create or replace function auth.email() returns text language sql stable as $keel$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'
  )::text
$keel$;
grant usage on schema auth to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
grant all on auth.users to service_role;`;

/** Default privileges in `public`: re-applied after every reset, since dropping the schema drops them. */
export const PUBLIC_GRANTS = `
create schema if not exists public;
grant usage on schema public to anon, authenticated, service_role;
grant all on schema public to service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;`;

/** The `extensions` schema and the extensions migrations call unqualified (`uuid_generate_v4()`, `gen_random_bytes()`). */
const EXTENSIONS = `
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;`;

export interface ShimStatus {
  /** 'supabase': the real thing, nothing installed; 'installed': Keel installed (or refreshed) the shim. */
  mode: 'supabase' | 'installed';
}

/** True when the database already has Supabase's own auth schema (not Keel's shim). */
export async function isRealSupabase(db: Queryable): Promise<boolean> {
  return (await shimState(db)) === 'supabase';
}

/** 'supabase' (the real auth schema), 'current' (Keel's shim at this version), or 'absent' (none, or an older shim). */
async function shimState(db: Queryable): Promise<'supabase' | 'current' | 'absent'> {
  const { rows } = await db.query<{ comment: string | null; uid: boolean }>(
    `select obj_description(n.oid, 'pg_namespace') as comment, to_regprocedure('auth.uid()') is not null as uid
       from pg_namespace n where n.nspname = 'auth'`,
  );
  const row = rows[0];
  if (!row) return 'absent';
  if (row.comment?.startsWith(SHIM_MARKER)) return row.comment === SHIM_COMMENT ? 'current' : 'absent';
  return row.uid ? 'supabase' : 'absent';
}

/**
 * Installs the shim (idempotent). Call inside a transaction. Sets the database's search_path so new sessions see
 * `extensions`, and the current transaction's too, since a pooler may hand the next transaction another session.
 *
 * @example
 * await engine.transaction((tx) => installShim(tx));
 */
export async function installShim(db: Queryable): Promise<ShimStatus> {
  // Serialise with other Keel processes installing it at the same moment (same key as the migration lock).
  await db.query('select pg_advisory_xact_lock($1)', [KEEL_LOCK_KEY]);
  const state = await shimState(db);
  if (state === 'supabase') {
    // Nothing of the shim, but a reset dropped `public`: give it back with Supabase's grants.
    await db.exec(PUBLIC_GRANTS);
    return { mode: 'supabase' };
  }
  if (state === 'absent') {
    await db.exec(ROLES);
    await db.exec(EXTENSIONS);
    await db.exec(AUTH);
  }
  // Always: a reset dropped `public` and with it these grants and default privileges.
  await db.exec(PUBLIC_GRANTS);
  // ALTER DATABASE rewrites a shared catalog (about 0.1 s on PGlite): only when the setting is not there yet.
  await db.exec(`do $keel$ begin
    if not exists (select 1 from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
                    where d.datname = current_database() and s.setrole = 0
                      and 'search_path="$user", public, extensions' = any(s.setconfig)) then
      execute format('alter database %I set search_path = "$user", public, extensions', current_database());
    end if;
  end $keel$;
  set local search_path = "$user", public, extensions;`);
  return { mode: 'installed' };
}
