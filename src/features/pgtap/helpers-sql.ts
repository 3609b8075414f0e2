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
 *   created_at/updated_at to `now()` (the frozen time when `freeze_time` is on), and confirms the user as the platform
 *   does for a user who signed up and confirmed: `email_confirmed_at` (and `phone_confirmed_at` when a phone is given).
 * - They never clash with a project's own (see installTestHelpers): a helper the project defines itself (in its
 *   migrations, or in a suite file, any signature) is not installed, so no call is ambiguous and its version wins.
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
export const TEST_HELPERS_VERSION = 2;
const TEST_HELPERS_COMMENT = `${TEST_HELPERS_MARKER} v${TEST_HELPERS_VERSION}`;

/** The schemas the helpers own (other features may want to leave them out, like the shim's). */
export const TEST_HELPER_SCHEMAS = ['tests', 'test_overrides'];

/** The frozen time while set, else pg_catalog's; each override is this expression. Qualified throughout: no search_path. */
const FROZEN_OR = (fallback: string) => `select case when coalesce(pg_catalog.current_setting('tests.frozen_time', true), '') = ''
    then pg_catalog.${fallback}() else pg_catalog.current_setting('tests.frozen_time', true)::timestamptz end`;

/** One helper: every overload of `schema.name`, created with CREATE OR REPLACE. */
interface Helper {
  schema: 'tests' | 'test_overrides';
  name: string;
  sql: string;
}

const override = (name: string): Helper => ({
  schema: 'test_overrides',
  name,
  sql: `create or replace function test_overrides.${name}() returns timestamptz language sql stable as $keel$
  ${FROZEN_OR(name)}
$keel$;`,
});

/** Keel's helpers, in the order they are created (later ones call earlier ones). */
const HELPERS: Helper[] = [
  override('now'),
  override('transaction_timestamp'),
  override('statement_timestamp'),
  {
    schema: 'tests',
    name: 'create_supabase_user',
    sql: `create or replace function tests.create_supabase_user(identifier text, email text default null, phone text default null,
    metadata jsonb default null)
  returns uuid language plpgsql security definer set search_path = '' as $keel$
declare
  v_id uuid := pg_catalog.gen_random_uuid();
  v_now timestamptz := pg_catalog.now();
begin
  if identifier is null then
    raise exception 'tests.create_supabase_user: identifier must not be null';
  end if;
  -- the frozen time when tests.freeze_time() is on (test_overrides.now() may be the project's own, or absent)
  if coalesce(pg_catalog.current_setting('tests.frozen_time', true), '') <> '' then
    v_now := pg_catalog.current_setting('tests.frozen_time', true)::timestamptz;
  end if;
  insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, raw_app_meta_data, email_confirmed_at,
                          phone_confirmed_at, created_at, updated_at)
  values (v_id, 'authenticated', 'authenticated', coalesce(create_supabase_user.email, v_id::text || '@test.com'),
          create_supabase_user.phone,
          coalesce(metadata, '{}'::jsonb) || pg_catalog.jsonb_build_object('test_identifier', identifier),
          '{}'::jsonb, v_now, case when create_supabase_user.phone is not null then v_now end, v_now, v_now);
  return v_id;
end
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'get_supabase_user',
    sql: `create or replace function tests.get_supabase_user(identifier text) returns json
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
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'get_supabase_uid',
    sql: `create or replace function tests.get_supabase_uid(identifier text) returns uuid
  language plpgsql stable security definer set search_path = '' as $keel$
begin
  return (tests.get_supabase_user(identifier) ->> 'id')::uuid;
end
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'authenticate_as',
    // Security invoker and no SET clause: a function's own settings are undone when it returns, and a security definer
    // function may not change the role.
    sql: `create or replace function tests.authenticate_as(identifier text) returns void language plpgsql as $keel$
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
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'authenticate_as_service_role',
    sql: `create or replace function tests.authenticate_as_service_role() returns void language plpgsql as $keel$
begin
  perform pg_catalog.set_config('role', 'service_role', true);
  perform pg_catalog.set_config('request.jwt.claims', '{"role": "service_role"}', true);
  perform pg_catalog.set_config('request.jwt.claim.sub', '', true);
  perform pg_catalog.set_config('request.jwt.claim.role', 'service_role', true);
  perform pg_catalog.set_config('request.jwt.claim.email', '', true);
end
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'clear_authentication',
    sql: `create or replace function tests.clear_authentication() returns void language plpgsql as $keel$
begin
  perform pg_catalog.set_config('role', 'anon', true);
  perform pg_catalog.set_config('request.jwt.claims', '', true);
  perform pg_catalog.set_config('request.jwt.claim.sub', '', true);
  perform pg_catalog.set_config('request.jwt.claim.role', '', true);
  perform pg_catalog.set_config('request.jwt.claim.email', '', true);
end
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'rls_enabled',
    // pgTAP assertions: is()/fail()/diag() resolve when called (plpgsql), so pgTAP may be installed after the helpers.
    sql: `create or replace function tests.rls_enabled(testing_schema text) returns text language plpgsql as $keel$
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
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'freeze_time',
    sql: `create or replace function tests.freeze_time(frozen_time timestamptz) returns void language plpgsql as $keel$
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
$keel$;`,
  },
  {
    schema: 'tests',
    name: 'unfreeze_time',
    sql: `create or replace function tests.unfreeze_time() returns void language plpgsql as $keel$
begin
  perform pg_catalog.set_config('tests.frozen_time', '', true);
  if pg_catalog.current_setting('search_path') like 'test_overrides,%' then
    perform pg_catalog.set_config('search_path', coalesce(pg_catalog.current_setting('tests.original_search_path', true), ''), true);
  end if;
end
$keel$;`,
  },
];

/** `schema.name` of every helper Keel has built in. */
export const TEST_HELPER_FUNCTIONS: string[] = HELPERS.map((h) => `${h.schema}.${h.name}`);

/**
 * The SQL that creates `helpers` (idempotent): their schemas (marked as Keel's when Keel creates them), the functions,
 * each function marked with {@link TEST_HELPERS_COMMENT}, and the grants (tests: the API roles, not PUBLIC;
 * test_overrides: everyone). Grants and revokes name Keel's functions only, never others in the same schema.
 */
function helpersSql(helpers: Helper[]): string {
  const schemas = [...new Set(helpers.map((h) => h.schema))];
  const names = (schema: string) =>
    helpers
      .filter((h) => h.schema === schema)
      .map((h) => `'${h.name}'`)
      .join(', ') || 'null';
  return `${schemas
    .map(
      (schema) => `do $keel$ begin
  if to_regnamespace('${schema}') is null then
    create schema ${schema};
  elsif coalesce(obj_description(to_regnamespace('${schema}'), 'pg_namespace') not like '${TEST_HELPERS_MARKER}%', true) then
    return; -- the project's schema: its comment stays
  end if;
  comment on schema ${schema} is '${TEST_HELPERS_COMMENT}${schema === 'test_overrides' ? ': now() while tests.freeze_time() is on' : ''}';
end $keel$;`,
    )
    .join('\n')}
${helpers.map((h) => h.sql).join('\n\n')}

do $keel$
declare
  f regprocedure;
  api text;
begin
  select string_agg(quote_ident(rolname), ', ') into api from pg_roles where rolname in ('anon', 'authenticated', 'service_role');
  for f in select p.oid::regprocedure from pg_proc p
            where (p.pronamespace = to_regnamespace('tests') and p.proname in (${names('tests')}))
               or (p.pronamespace = to_regnamespace('test_overrides') and p.proname in (${names('test_overrides')})) loop
    execute format('comment on function %s is %L', f, '${TEST_HELPERS_COMMENT}');
    if f::text like 'test_overrides.%' then
      execute format('grant execute on function %s to public', f);
    else
      execute format('revoke execute on function %s from public', f);
      if api is not null then execute format('grant execute on function %s to %s', f, api); end if;
    end if;
  end loop;
  if to_regnamespace('test_overrides') is not null then grant usage on schema test_overrides to public; end if;
  if api is not null and to_regnamespace('tests') is not null then execute format('grant usage on schema tests to %s', api); end if;
end
$keel$;`;
}

/** Every helper, as one idempotent script (what installTestHelpers runs when the project defines none of them). */
export const TEST_HELPERS_SQL = helpersSql(HELPERS);

/** What the project brings of its own, besides what the database already holds (see installTestHelpers). */
export interface ProjectHelpers {
  /** `schema.name` of helper functions the project's suites create (any signature): Keel's of that name stay out. */
  defines?: Iterable<string>;
  /** Helper schemas a suite creates itself without IF NOT EXISTS: Keel puts nothing in them. */
  ownsSchemas?: Iterable<string>;
  /** The project installs the community helpers itself (the database can provide them): none of Keel's. */
  none?: boolean;
}

/** What the database holds in the helper schemas: Keel's functions (by version) and everyone else's. */
async function inventory(
  tx: Queryable,
): Promise<{ ours: Map<string, 'current' | 'stale'>; theirs: Set<string>; schemas: Map<string, boolean> }> {
  const { rows } = await tx.query<{ name: string; comment: string | null }>(
    `select n.nspname || '.' || p.proname as name, obj_description(p.oid, 'pg_proc') as comment
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('tests', 'test_overrides')`,
  );
  const ours = new Map<string, 'current' | 'stale'>();
  const theirs = new Set<string>();
  for (const r of rows) {
    if (!r.comment?.startsWith(TEST_HELPERS_MARKER)) theirs.add(r.name);
    // one overload of another version makes the whole helper stale
    else if (r.comment !== TEST_HELPERS_COMMENT || ours.get(r.name) === 'stale') ours.set(r.name, 'stale');
    else ours.set(r.name, 'current');
  }
  const { rows: ns } = await tx.query<{ name: string; ours: boolean }>(
    `select nspname as name, coalesce(obj_description(oid, 'pg_namespace') like $1, false) as ours
       from pg_namespace where nspname in ('tests', 'test_overrides')`,
    [`${TEST_HELPERS_MARKER}%`],
  );
  return { ours, theirs, schemas: new Map(ns.map((r) => [r.name, r.ours])) };
}

/**
 * Installs Keel's helpers where the project has none of its own, and takes out Keel's where it has (idempotent). A
 * helper is the project's when a function of that name (any signature) is in the database and is not marked as
 * Keel's (from a migration, or the community extension), or when a suite creates it (`project.defines`); then Keel's
 * of that name is not installed (dropped when an earlier run left it), so every call resolves to the project's. A
 * schema a suite creates without IF NOT EXISTS gets none of Keel's helpers (Keel's own schema is dropped first when it
 * holds nothing else). `project.none`: none at all. Call inside a transaction, after the shim (or on Supabase).
 * pgTAP may come before or after (see the notes on `rls_enabled` above).
 *
 * @returns `schema.name` of the helpers Keel provides.
 * @example
 * await engine.transaction((tx) => installTestHelpers(tx, { defines: ['tests.create_supabase_user'] }));
 */
export async function installTestHelpers(tx: Queryable, project: ProjectHelpers = {}): Promise<string[]> {
  const defines = new Set(project.defines ?? []);
  const owned = new Set(project.ownsSchemas ?? []);
  const plan = async () => {
    const db = await inventory(tx);
    const wanted = project.none
      ? []
      : HELPERS.filter((h) => !owned.has(h.schema) && !defines.has(`${h.schema}.${h.name}`) && !db.theirs.has(`${h.schema}.${h.name}`));
    const wantedNames = new Set(wanted.map((h) => `${h.schema}.${h.name}`));
    const unwanted = [...db.ours.keys()].filter((n) => !wantedNames.has(n));
    const stale = wanted.filter((h) => db.ours.get(`${h.schema}.${h.name}`) !== 'current');
    const dropSchemas = [...owned].filter((s) => db.schemas.get(s) === true && ![...db.theirs].some((n) => n.startsWith(`${s}.`)));
    return { wanted, unwanted, stale, dropSchemas };
  };
  let p = await plan();
  const provided = () => p.wanted.map((h) => `${h.schema}.${h.name}`);
  if (p.unwanted.length === 0 && p.stale.length === 0 && p.dropSchemas.length === 0) return provided();
  // Serialise with other Keel processes installing them into this database at the same moment.
  await tx.query('select pg_advisory_xact_lock($1)', [KEEL_LOCK_KEY]);
  p = await plan();
  if (p.dropSchemas.length) await tx.exec(`drop schema ${p.dropSchemas.join(', ')} cascade`);
  if (p.unwanted.length) await dropOurs(tx, p.unwanted);
  if (p.stale.length) await tx.exec(helpersSql(p.wanted));
  return provided();
}

/** Drops every overload of these helpers that is Keel's (marked); a project's function is never touched. */
async function dropOurs(tx: Queryable, names: string[]): Promise<void> {
  // the names are Keel's own (HELPERS), never input
  await tx.exec(`do $keel$
declare f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname || '.' || p.proname in (${names.map((n) => `'${n}'`).join(', ')})
              and obj_description(p.oid, 'pg_proc') like '${TEST_HELPERS_MARKER}%' loop
    execute format('drop function %s', f);
  end loop;
end $keel$`);
}
