/**
 * A small multi-file pgTAP suite written for `supabase test db` (pg_prove: each file its own session, autocommit), and
 * what each file gives under it. Shared by test-db.test.ts and test-db-pg-prove.test.ts (which runs it with the real
 * pg_prove too). Every file here runs unchanged under pg_prove on a Keel-built database.
 */

export const MIGRATION = `create table public.todos (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references auth.users (id),
  title text not null
);
alter table public.todos enable row level security;
create policy "own todos" on public.todos for all to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
grant select, insert, update, delete on public.todos to authenticated;
create table public.notes (id int primary key, body text not null);
`;

/** Suite files (under supabase/), in the order pg_prove and keel run them. */
export const CLI_SUITE: Record<string, string> = {
  'tests/00000-helpers.sql': `-- outside any transaction: committed, and used by the files after it
create schema test_support;
create function test_support.note_count() returns int language sql stable as $$ select count(*)::int from public.notes $$;
insert into public.notes (id, body) values (100, 'from the helpers file');
prepare note_count_q as select count(*)::int from public.notes;
execute note_count_q;
select plan(1);
select is(test_support.note_count(), 1, 'the helpers file committed a note');
select * from finish();
`,
  'tests/001_schema.sql': `begin;
select plan(7);
select has_table('public', 'todos', 'todos exists');
select has_column('public', 'todos', 'title', 'todos.title exists');
select policies_are('public', 'todos', array['own todos'], 'todos has exactly its policy');
select has_function('test_support', 'note_count', 'the helper function from 00000 is there');
select is(test_support.note_count(), 1, 'sees the note the helpers file committed');
select tests.create_supabase_user('alice');
select tests.create_supabase_user('bob');
select tests.authenticate_as('alice');
insert into public.todos (title) values ('alice''s');
select is((select count(*)::int from public.todos), 1, 'alice sees her todo');
select tests.authenticate_as('bob');
select is_empty('select * from public.todos', 'bob sees none of alice''s todos');
select * from finish();
rollback;
`,
  'tests/002_planted_failure.sql': `-- the same prepared statement name as 00000: a fresh session has none
prepare note_count_q as select count(*)::int from public.notes;
execute note_count_q;
select plan(3);
select ok(true, 'a passing test');
select is(
  1 + 1,
  3,
  'planted: one plus one is three'
);
select ok(true, 'a test after the failure');
select * from finish();
`,
  'tests/003_errors_midway.sql': `begin;
select plan(3);
select ok(true, 'before the error');
insert into public.notes (id, body) values (3, 'from 003, rolled back');
select nosuch_column from public.notes;
select ok(true, 'never reached');
rollback;
`,
  'tests/004_commits.sql': `-- commits a row, then leaves session state behind that the next file must not see
insert into public.notes (id, body) values (4, 'from 004, committed');
select plan(1);
select is(test_support.note_count(), 2, 'sees the helpers note and its own');
select * from finish();
create temp table leftover (id int);
listen leftover_channel;
prepare leftover_q as select 1;
set request.jwt.claim.sub = '00000000-0000-0000-0000-000000000004';
set search_path = public;
set role authenticated;
`,
  'tests/005_fresh_session.sql': `begin;
select plan(7);
select is((select array_agg(id order by id) from public.notes), array[4, 100],
  'sees what 00000 and 004 committed, not what 003 rolled back');
select is(current_user, session_user, 'the login role again, not the role 004 set');
select is(to_regclass('pg_temp.leftover'), null::regclass, 'no temp table from 004');
select is((select count(*)::int from pg_prepared_statements), 0, 'no prepared statements from earlier files');
select is(auth.uid(), null, 'no claims from 004');
select is((select count(*)::int from pg_listening_channels()), 0, 'not listening to what 004 listened to');
select ok('extensions' = any(current_schemas(false)), 'the database''s search_path again');
select * from finish();
rollback;
`,
  'tests/007_bad_plan.sql': `select plan(3);
select ok(true, 'one');
select ok(true, 'two');
`,
};

/** Per file, as `file → [tests, passed, failed, planned, ok]`: what pg_prove reports for CLI_SUITE. */
export const CLI_SUITE_COUNTS: Record<string, [number, number, number, number | null, boolean]> = {
  'supabase/tests/00000-helpers.sql': [1, 1, 0, 1, true],
  'supabase/tests/001_schema.sql': [7, 7, 0, 7, true],
  'supabase/tests/002_planted_failure.sql': [3, 2, 1, 3, false],
  'supabase/tests/003_errors_midway.sql': [1, 1, 0, 3, false],
  'supabase/tests/004_commits.sql': [1, 1, 0, 1, true],
  'supabase/tests/005_fresh_session.sql': [7, 7, 0, 7, true],
  'supabase/tests/007_bad_plan.sql': [2, 2, 0, 3, false],
};
