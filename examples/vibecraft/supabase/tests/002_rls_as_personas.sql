-- pgTAP suite (run with `keel test db`): VibeCraft's RLS and membership rules as the seed's personas and a new user,
-- with the Supabase test helpers. Rolled back at the end.
--   olivia  owns P1 Storybook Generator, P2 Portfolio Site and the trashed P4
--   eddie   editor in P1 (and in the trashed P4)      vera   viewer in P1
--   oscar   owns P3 Recipe Bot, shares no project with the others
begin;
select plan(28);

update auth.users u
   set raw_user_meta_data = u.raw_user_meta_data || jsonb_build_object('test_identifier', p.identifier)
  from (values ('olivia', '00000000-0000-0000-0000-000000000001'::uuid), ('eddie', '00000000-0000-0000-0000-000000000002'),
               ('vera', '00000000-0000-0000-0000-000000000003'), ('oscar', '00000000-0000-0000-0000-000000000004')) as p(identifier, id)
 where u.id = p.id;

select tests.create_supabase_user('mia', 'mia@vibecraft.test');
select ok(exists (select 1 from public.users where id = tests.get_supabase_uid('mia')), 'a sign-up gets a public.users profile');

-- anon
select tests.clear_authentication();
select is((select count(*)::int from public.templates), 5, 'anon sees the 5 public templates');
select is_empty('select id from public.projects', 'anon sees no projects');
select throws_ok($$ select public.is_project_member('10000000-0000-0000-0000-000000000001') $$, '42501', null,
  'anon may not call is_project_member()');

-- olivia: owner
select tests.authenticate_as('olivia');
select ok(public.is_project_owner('10000000-0000-0000-0000-000000000001'), 'is_project_owner: olivia owns P1');
select ok(public.is_project_member('10000000-0000-0000-0000-000000000004', 'owner'), 'is_project_member: the owner, even of a trashed project');
select set_eq('select id from public.projects',
  array['10000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000004']::uuid[],
  'olivia sees her projects, the trashed one included');
select ok(public.shares_project_with('00000000-0000-0000-0000-000000000003'), 'shares_project_with: olivia and vera share P1');
select throws_ok($$ update public.project_members set role = 'viewer'
                    where project_id = '10000000-0000-0000-0000-000000000001' and user_id = auth.uid() $$,
  '42501', 'the project owner''s membership cannot be removed or downgraded; transfer the project first',
  'the owner cannot downgrade her own membership');

-- eddie: editor in P1
select tests.authenticate_as('eddie');
select ok(public.is_project_member('10000000-0000-0000-0000-000000000001', 'editor'), 'is_project_member: eddie edits P1');
select ok(not public.is_project_member('10000000-0000-0000-0000-000000000001', 'owner'), 'is_project_member: but does not own it');
select ok(not public.is_project_member('10000000-0000-0000-0000-000000000004'), 'is_project_member: a trashed project counts for no one but its owner');
select results_eq('select id from public.projects', $$ values ('10000000-0000-0000-0000-000000000001'::uuid) $$,
  'eddie sees P1 only');
select lives_ok($$ insert into public.project_prompts (project_id, user_id, prompt)
                   values ('10000000-0000-0000-0000-000000000001', auth.uid(), 'Add a page-flip animation') $$,
  'an editor sends a prompt');
select is_empty($$ update public.project_members set role = 'owner'
                   where project_id = '10000000-0000-0000-0000-000000000001' and user_id = auth.uid() returning id $$,
  'an editor cannot promote himself (only owners change members)');

-- vera: viewer in P1
select tests.authenticate_as('vera');
select ok(public.is_project_member('10000000-0000-0000-0000-000000000001'), 'is_project_member: vera views P1');
select ok(not public.is_project_member('10000000-0000-0000-0000-000000000001', 'editor'), 'is_project_member: but is no editor');
select isnt_empty($$ select id from public.project_prompts where project_id = '10000000-0000-0000-0000-000000000001' $$,
  'a viewer reads the project''s prompts');
select throws_ok($$ insert into public.project_prompts (project_id, user_id, prompt)
                    values ('10000000-0000-0000-0000-000000000001', auth.uid(), 'Make it blue') $$,
  '42501', null, 'a viewer cannot send prompts');
select is_empty($$ update public.projects set description = 'edited' where id = '10000000-0000-0000-0000-000000000001' returning id $$,
  'a viewer cannot edit the project');
select throws_ok($$ update public.users set plan = 'studio' where id = auth.uid() $$,
  '42501', 'public.users: column plan cannot be changed', 'nobody upgrades their own plan through the API');

-- oscar: outsider
select tests.authenticate_as('oscar');
select results_eq('select id from public.projects', $$ values ('10000000-0000-0000-0000-000000000003'::uuid) $$,
  'oscar sees Recipe Bot only');
select is((select count(*)::int from public.users), 1, 'oscar sees only his own profile');
select is_empty($$ select id from public.project_prompts where project_id = '10000000-0000-0000-0000-000000000001' $$,
  'oscar cannot read P1''s conversation');

-- mia: a new user creates a project and becomes its owner member through the trigger
select tests.authenticate_as('mia');
select lives_ok($$ insert into public.projects (id, owner_id, name) values ('10000000-0000-0000-0000-0000000000aa', auth.uid(), 'Mia''s app') $$,
  'a new user creates a project');
select ok(public.is_project_member('10000000-0000-0000-0000-0000000000aa', 'owner'), 'and is its owner member (add_owner_membership)');
select throws_ok($$ insert into public.projects (owner_id, name) values ('00000000-0000-0000-0000-000000000001', 'Planted') $$,
  '42501', null, 'nobody creates projects for someone else');
select throws_ok($$ insert into public.templates (created_by, name, kind, category, content, is_official)
                    values (auth.uid(), 'Fake official', 'prompt', 'x', '{}', true) $$,
  '42501', null, 'users cannot publish official templates');

select * from finish();
rollback;
