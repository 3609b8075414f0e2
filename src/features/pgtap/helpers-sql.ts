import type { Queryable } from '../../db/engine.js';
import { KEEL_LOCK_KEY } from '../../db/locks.js';

/**
 * Keel's built-in Supabase test helpers: the functions of the community "supabase test helpers"
 * (`basejump-supabase_test_helpers`, installed on Supabase through dbdev), with the same names, signatures and
 * behaviour, written for Keel (no code of theirs), so suites written for `supabase test db` run unchanged. They work on
 * Keel's shim and on a real Supabase database (the only `auth.users` columns used are ones both have).
 *
 * Decisions (where the community version is loose or the shim differs):
 * - Users are remembered by `raw_user_meta_data ->> 'test_identifier'`, as the community helpers do (suites check
 *   it). Reusing an identifier creates another user, as theirs does; lookups then return the first created.
 * - `create_supabase_user` defaults the email to `<id>@test.com`, sets aud/role 'authenticated', app metadata `{}`,
 *   and created_at/updated_at to `now()` (the frozen time when `freeze_time` is on).
 * - `authenticate_as` sets, transaction-locally, `role authenticated` and `request.jwt.claims` = {sub, email, phone,
 *   user_metadata, app_metadata, role: 'authenticated', aud: 'authenticated', exp}, plus the legacy
 *   `request.jwt.claim.sub/role/email` settings (which `auth.uid()` reads first), so a stale legacy claim cannot win.
 * - `authenticate_as_service_role` sets role service_role and claims `{"role": "service_role"}` (the community
 *   version leaves the claims empty; with the role claim `auth.role()` answers 'service_role', as under PostgREST).
 * - `clear_authentication` sets role anon and empties the claims (`''`, as the community version does): `auth.uid()`
 *   and `auth.role()` are then null.
 * - `rls_enabled(schema[, table])` return pgTAP results. They are plpgsql, which does not resolve the functions it
 *   calls until it runs, so they can be installed before pgTAP is: they need pgTAP's `is()`/`fail()` on the
 *   search_path when called (Keel installs pgTAP in `extensions`, which is on it). Only tables (relkind r and p) count:
 *   views, sequences and types have no RLS of their own (the community version counts views too). The schema form
 *   fails on a schema that does not exist, and reports the tables without RLS as `have`.
 * - `freeze_time(ts)` stores the time in the transaction-local setting `tests.frozen_time` and puts the
 *   `test_overrides` schema first on the search_path (transaction-local, with `pg_catalog` listed after it, since an
 *   unlisted pg_catalog is searched first). `test_overrides` has `now()`, `transaction_timestamp()` and
 *   `statement_timestamp()`, which return the frozen time while it is set. So every unqualified call resolved after
 *   the freeze sees it: statements, plpgsql functions and triggers without their own `set search_path`, and column
 *   defaults of tables created after the freeze. Limits (Postgres's, the community version has them too): column
 *   defaults and views created before the freeze were bound to `pg_catalog.now()` when created; functions with their
 *   own `set search_path` ignore it (alter them to put test_overrides first, inside the test); `current_timestamp`,
 *   `current_date`, `localtimestamp` are SQL keywords, not functions, and are not frozen; `clock_timestamp()` is
 *   never frozen. `unfreeze_time()` clears it and restores the search_path from before the first freeze.
 */
export const TEST_HELPERS_MARKER = 'keel: supabase test helpers';
/** Bumped whenever the helpers' SQL changes, so databases with older helpers get the new ones. */
export const TEST_HELPERS_VERSION = 1;
const TEST_HELPERS_COMMENT = `${TEST_HELPERS_MARKER} v${TEST_HELPERS_VERSION}`;

/** The schemas the helpers own (other features may want to leave them out, like the shim's). */
export const TEST_HELPER_SCHEMAS = ['tests', 'test_overrides'];

/** The frozen time while set, else pg_catalog's; each override is this expression. Qualified throughout: no search_path. */
const FROZEN_OR = (fallback: string) => `select case when coalesce(pg_catalog.current_setting('tests.frozen_time', true), '') = ''
    then pg_catalog.${fallback}() else pg_catalog.current_setting('tests.frozen_time', true)::timestamptz end`;

/** Installs (or refreshes) the helpers; every statement is idempotent. Run it inside a transaction. */
export const TEST_HELPERS_SQL = `
create schema if not exists tests;
create schema if not exists test_overrides;
comment on schema tests is '${TEST_HELPERS_COMMENT}';
comment on schema test_overrides is '${TEST_HELPERS_COMMENT}: now() while tests.freeze_time() is on';

create or replace function test_overrides.now() returns timestamptz language sql stable as $keel$
  ${FROZEN_OR('now')}
$keel$;
create or replace function test_overrides.transaction_timestamp() returns timestamptz language sql stable as $keel$
  ${FROZEN_OR('transaction_timestamp')}
$keel$;
create or replace function test_overrides.statement_timestamp() returns timestamptz language sql stable as $keel$
  ${FROZEN_OR('statement_timestamp')}
$keel$;

create or replace function tests.create_supabase_user(identifier text, email text default null, phone text default null,
    metadata jsonb default null)
  returns uuid language plpgsql security definer set search_path = '' as $keel$
declare
  v_id uuid := pg_catalog.gen_random_uuid();
  v_now timestamptz := test_overrides.now();
begin
  if identifier is null then
    raise exception 'tests.create_supabase_user: identifier must not be null';
  end if;
  insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
  values (v_id, 'authenticated', 'authenticated', coalesce(create_supabase_user.email, v_id::text || '@test.com'),
          create_supabase_user.phone,
          coalesce(metadata, '{}'::jsonb) || pg_catalog.jsonb_build_object('test_identifier', identifier),
          '{}'::jsonb, v_now, v_now);
  return v_id;
end
$keel$;

create or replace function tests.get_supabase_user(identifier text) returns json
  language plpgsql stable security definer set search_path = '' as $keel$
declare
  v_user json;
begin
  select pg_catalog.json_build_object('id', u.id, 'email', u.email, 'phone', u.phone,
           'raw_user_meta_data', u.raw_user_meta_data, 'raw_app_meta_data', u.raw_app_meta_data)
    into v_user
    from auth.users u
   where u.raw_user_meta_data ->> 'test_identifier' = identifier
   order by u.created_at, u.id
   limit 1;
  if v_user is null then
    raise exception 'User with identifier % not found', identifier
      using hint = 'create it first with tests.create_supabase_user(' || pg_catalog.quote_literal(identifier) || ')';
  end if;
  return v_user;
end
$keel$;

create or replace function tests.get_supabase_uid(identifier text) returns uuid
  language plpgsql stable security definer set search_path = '' as $keel$
begin
  return (tests.get_supabase_user(identifier) ->> 'id')::uuid;
end
$keel$;

-- Security invoker and no SET clause: a function's own settings are undone when it returns, and a security definer
-- function may not change the role.
create or replace function tests.authenticate_as(identifier text) returns void language plpgsql as $keel$
declare
  v_user json := tests.get_supabase_user(identifier);
begin
  perform pg_catalog.set_config('role', 'authenticated', true);
  perform pg_catalog.set_config('request.jwt.claims', pg_catalog.json_build_object(
    'sub', v_user ->> 'id',
    'email', v_user ->> 'email',
    'phone', v_user ->> 'phone',
    'user_metadata', v_user -> 'raw_user_meta_data',
    'app_metadata', v_user -> 'raw_app_meta_data',
    'role', 'authenticated',
    'aud', 'authenticated',
    'exp', pg_catalog.floor(extract(epoch from pg_catalog.now() + interval '1 hour'))::bigint
  )::text, true);
  perform pg_catalog.set_config('request.jwt.claim.sub', v_user ->> 'id', true);
  perform pg_catalog.set_config('request.jwt.claim.role', 'authenticated', true);
  perform pg_catalog.set_config('request.jwt.claim.email', coalesce(v_user ->> 'email', ''), true);
end
$keel$;

create or replace function tests.authenticate_as_service_role() returns void language plpgsql as $keel$
begin
  perform pg_catalog.set_config('role', 'service_role', true);
  perform pg_catalog.set_config('request.jwt.claims', '{"role": "service_role"}', true);
  perform pg_catalog.set_config('request.jwt.claim.sub', '', true);
  perform pg_catalog.set_config('request.jwt.claim.role', 'service_role', true);
  perform pg_catalog.set_config('request.jwt.claim.email', '', true);
end
$keel$;

create or replace function tests.clear_authentication() returns void language plpgsql as $keel$
begin
  perform pg_catalog.set_config('role', 'anon', true);
  perform pg_catalog.set_config('request.jwt.claims', '', true);
  perform pg_catalog.set_config('request.jwt.claim.sub', '', true);
  perform pg_catalog.set_config('request.jwt.claim.role', '', true);
  perform pg_catalog.set_config('request.jwt.claim.email', '', true);
end
$keel$;

-- pgTAP assertions: is()/fail()/diag() resolve when called (plpgsql), so pgTAP may be installed after the helpers.
create or replace function tests.rls_enabled(testing_schema text) returns text language plpgsql as $keel$
declare
  v_description text := pg_catalog.format('All tables in the %s schema should have row level security enabled', testing_schema);
  v_without text[];
begin
  if not exists (select 1 from pg_catalog.pg_namespace n where n.nspname = testing_schema) then
    return fail(v_description) || e'\\n' || diag(pg_catalog.format('    schema %s does not exist', testing_schema));
  end if;
  select coalesce(pg_catalog.array_agg(c.relname::text order by c.relname), '{}')
    into v_without
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where n.nspname = testing_schema and c.relkind in ('r', 'p') and not c.relrowsecurity;
  return is(v_without, '{}'::text[], v_description);
end
$keel$;

create or replace function tests.rls_enabled(testing_schema text, testing_table text) returns text language plpgsql as $keel$
begin
  return is(
    (select c.relrowsecurity
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = testing_schema and c.relname = testing_table and c.relkind in ('r', 'p')),
    true,
    pg_catalog.format('%s table in the %s schema should have row level security enabled', testing_table, testing_schema));
end
$keel$;

create or replace function tests.freeze_time(frozen_time timestamptz) returns void language plpgsql as $keel$
declare
  v_path text := pg_catalog.current_setting('search_path');
begin
  if v_path not like 'test_overrides,%' then
    perform pg_catalog.set_config('tests.original_search_path', v_path, true);
    perform pg_catalog.set_config('search_path',
      'test_overrides, ' || case when pg_catalog.btrim(v_path) = '' then '' else v_path || ', ' end || 'pg_catalog', true);
  end if;
  -- ISO 8601 in UTC: reads back the same whatever DateStyle and TimeZone are later.
  perform pg_catalog.set_config('tests.frozen_time',
    pg_catalog.to_char(frozen_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), true);
end
$keel$;

create or replace function tests.unfreeze_time() returns void language plpgsql as $keel$
begin
  perform pg_catalog.set_config('tests.frozen_time', '', true);
  if pg_catalog.current_setting('search_path') like 'test_overrides,%' then
    perform pg_catalog.set_config('search_path', coalesce(pg_catalog.current_setting('tests.original_search_path', true), ''), true);
  end if;
end
$keel$;

grant usage on schema test_overrides to public;
grant execute on all functions in schema test_overrides to public;
revoke execute on all functions in schema tests from public;
do $keel$
declare r text;
begin
  for r in select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role') loop
    execute pg_catalog.format('grant usage on schema tests to %I', r);
    execute pg_catalog.format('grant execute on all functions in schema tests to %I', r);
  end loop;
end
$keel$;`;

/**
 * Installs the helpers unless this version is already there (idempotent). Call inside a transaction, after the shim
 * (or on Supabase). pgTAP may come before or after (see the notes on `rls_enabled` above).
 *
 * @example
 * await engine.transaction((tx) => installTestHelpers(tx));
 */
export async function installTestHelpers(tx: Queryable): Promise<void> {
  const current = async () => {
    const { rows } = await tx.query<{ current: boolean }>(
      `select obj_description(n.oid, 'pg_namespace') = $1 and to_regprocedure('tests.unfreeze_time()') is not null as current
         from pg_namespace n where n.nspname = 'tests'`,
      [TEST_HELPERS_COMMENT],
    );
    return rows[0]?.current === true;
  };
  if (await current()) return;
  // Serialise with other Keel processes installing them into this database at the same moment.
  await tx.query('select pg_advisory_xact_lock($1)', [KEEL_LOCK_KEY]);
  if (await current()) return;
  await tx.exec(TEST_HELPERS_SQL);
}
