/**
 * `keel test db` with projects that bring their own Supabase test helpers: defined in a migration, defined in a suite
 * file (as `00000-helpers.sql` files do, outside any transaction), in a `tests` schema the suite creates itself, or
 * installed from dbdev (`select dbdev.install(…)` + `create extension "basejump-supabase_test_helpers"`), which Keel
 * stands in for when the database cannot do it. The project's definitions win and no call is ambiguous.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, type TestDbResult } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

/** A migration with a helper of the project's own in `tests` (e.g. for local development). */
const MIGRATION = `create table public.notes (id int primary key, owner uuid not null default auth.uid() references auth.users (id), body text);
alter table public.notes enable row level security;
create policy "own notes" on public.notes for all to authenticated using (owner = (select auth.uid()));
grant select, insert on public.notes to authenticated;
create schema if not exists tests;
create function tests.get_supabase_uid(identifier text) returns uuid language sql stable security definer set search_path = '' as $$
  select id from auth.users where raw_user_meta_data ->> 'test_identifier' = identifier and raw_app_meta_data ->> 'by' = 'project' limit 1
$$;
`;

/** The project's own helpers in a suite file, with a signature unlike Keel's; its other calls use Keel's. */
const OWN_IN_SUITE = {
  'migrations/20240101000000_init.sql': MIGRATION,
  'tests/00000-helpers.sql': `select dbdev.install('basejump-supabase_test_helpers');
create extension if not exists "basejump-supabase_test_helpers" version '0.0.6';
create schema if not exists tests;
create or replace function tests.create_supabase_user(identifier text, email text default null, phone text default null)
  returns uuid language plpgsql security definer set search_path = '' as $$
declare v uuid := gen_random_uuid();
begin
  insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data)
  values (v, coalesce(email, identifier || '@example.com'), jsonb_build_object('test_identifier', identifier), '{"by": "project"}');
  return v;
end $$;
grant execute on function tests.create_supabase_user(text, text, text) to authenticated;
select plan(1);
select pass('helpers defined');
`,
  'tests/001_uses_them.sql': `begin;
select plan(5);
select lives_ok($$ select tests.create_supabase_user('alice') $$, 'one create_supabase_user: the call is not ambiguous');
select is((select raw_app_meta_data ->> 'by' from auth.users where email = 'alice@example.com'), 'project', 'the project''s create_supabase_user ran');
select isnt(tests.get_supabase_uid('alice'), null, 'the migration''s get_supabase_uid finds the project''s user');
select tests.authenticate_as('alice'); -- Keel's: the project has none
insert into public.notes (id, body) values (1, 'mine');
select is((select count(*)::int from public.notes), 1, 'Keel''s authenticate_as signs in as the project''s user');
select is((select count(*)::int from pg_proc where pronamespace = 'tests'::regnamespace and proname = 'create_supabase_user'), 1, 'one overload');
select * from finish();
rollback;
`,
};

/** A suite that creates `tests` itself (no IF NOT EXISTS) with the few helpers it uses. */
const OWN_SCHEMA = {
  'migrations/20240101000000_init.sql': 'create table public.t (id int);\n',
  'tests/00000-helpers.sql': `create schema tests;
create function tests.authenticate_as(identifier text) returns void language sql as $$ select set_config('role', 'authenticated', true) $$;
select plan(1);
select has_schema('tests', 'the project''s own tests schema');
`,
  'tests/001_uses_it.sql': `begin;
select plan(2);
select tests.authenticate_as('anyone');
select is(current_user::text, 'authenticated', 'the project''s authenticate_as');
select hasnt_function('tests', 'create_supabase_user', 'none of Keel''s helpers in the project''s schema');
select * from finish();
rollback;
`,
};

const summary = (r: TestDbResult) => r.files.map((f) => [f.file, f.ok, f.error?.message ?? null, f.failures.map((x) => x.description)]);

describe.each(engineNames)("keel test db with the project's own test helpers on %s", (engineName) => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await targetFor(engineName);
  });
  afterAll(async () => {
    await target?.drop();
  });

  it("defined in a migration and in a suite file, installed through dbdev: the project's win, Keel fills in the rest", async () => {
    const p = makeProject(OWN_IN_SUITE);
    const r = await testDb({ cwd: p.root, ...target.options, memory: engineName === 'pglite', yes: true });
    expect(summary(r)).toEqual([
      ['supabase/tests/00000-helpers.sql', true, null, []],
      ['supabase/tests/001_uses_them.sql', true, null, []],
    ]);
    expect(r.files[0]!.skippedStatements.map((s) => [s.line, s.reason])).toEqual([
      [1, 'the Supabase test helpers are built into keel test db (no dbdev needed)'],
      [2, 'the Supabase test helpers are built into keel test db (schema tests)'],
    ]);
    // run again: the migration's `create function tests.…` (no OR REPLACE) works on every rebuild
    const again = await testDb({ cwd: p.root, ...target.options, memory: engineName === 'pglite', yes: true });
    expect(summary(again)).toEqual(summary(r));
  });

  it("a tests schema the suite creates itself gets none of Keel's helpers", async () => {
    const p = makeProject(OWN_SCHEMA);
    const r = await testDb({ cwd: p.root, ...target.options, memory: engineName === 'pglite', yes: true });
    expect(summary(r)).toEqual([
      ['supabase/tests/00000-helpers.sql', true, null, []],
      ['supabase/tests/001_uses_it.sql', true, null, []],
    ]);
  });
});
