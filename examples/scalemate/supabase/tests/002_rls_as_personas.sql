-- pgTAP suite (run with `keel test db`): ScaleMate's RLS as the seed's personas and as a newly signed-up user, with the
-- Supabase test helpers (tests.create_supabase_user, tests.authenticate_as, …). Rolled back at the end.
--   olivia  owner of Growth Ops (10…01)        max    member of Growth Ops
--   oscar   owner of Solo Studio (10…02)       ada    application admin, in no team
--   dana    soft-deleted, keeps her Growth Ops membership row
begin;
select plan(37);

-- The seed's users were not made by tests.create_supabase_user: give them identifiers so authenticate_as finds them.
update auth.users u
   set raw_user_meta_data = u.raw_user_meta_data || jsonb_build_object('test_identifier', p.identifier)
  from (values ('olivia', '00000000-0000-0000-0000-000000000001'::uuid), ('max', '00000000-0000-0000-0000-000000000002'),
               ('oscar', '00000000-0000-0000-0000-000000000003'), ('ada', '00000000-0000-0000-0000-000000000004'),
               ('dana', '00000000-0000-0000-0000-000000000005')) as p(identifier, id)
 where u.id = p.id;

-- A new sign-up: the on_auth_user_created trigger makes her profile from the auth metadata.
select tests.create_supabase_user('nina', 'nina@scalemate.test', null, '{"full_name": "Nina Newcomer"}');
select is((select full_name::text from public.users where id = tests.get_supabase_uid('nina')), 'Nina Newcomer',
  'a new auth user gets a public.users profile named from her metadata');
select is((select role::text from public.users where id = tests.get_supabase_uid('nina')), 'member',
  'a new profile gets the member role');

-- anon: no reads, no writes
select tests.clear_authentication();
select is_empty('select id from public.users', 'anon sees no profiles');
select is_empty('select id from public.teams', 'anon sees no teams');
select is_empty('select id from public.workflows', 'anon sees no workflows');
select throws_ok($$ insert into public.teams (name, owner_id) values ('Anon team', '00000000-0000-0000-0000-000000000001') $$,
  '42501', null, 'anon cannot create teams');

-- olivia: owner of Growth Ops
select tests.authenticate_as('olivia');
select is(auth.uid(), '00000000-0000-0000-0000-000000000001'::uuid, 'authenticate_as(''olivia'') signs in as the seed persona');
select ok(public.is_team_member('10000000-0000-0000-0000-000000000001'), 'is_team_member: olivia is in Growth Ops');
select ok(not public.is_team_member('10000000-0000-0000-0000-000000000002'), 'is_team_member: olivia is not in Solo Studio');
select ok(public.is_team_admin('10000000-0000-0000-0000-000000000001'), 'is_team_admin: the owner of Growth Ops');
select ok(not public.is_admin(), 'is_admin: olivia is a manager, not an admin');
select results_eq('select id from public.teams order by id',
  $$ values ('10000000-0000-0000-0000-000000000001'::uuid) $$, 'olivia sees her team only');
select results_eq('select id from public.users order by id',
  $$ values ('00000000-0000-0000-0000-000000000001'::uuid), ('00000000-0000-0000-0000-000000000002'::uuid) $$,
  'olivia sees herself and Max, not the soft-deleted Dana');
select set_eq('select id from public.workflows',
  array['20000000-0000-0000-0000-000000000001', '20000000-0000-0000-0000-000000000002',
        '20000000-0000-0000-0000-000000000003', '20000000-0000-0000-0000-000000000004']::uuid[],
  'olivia reads the Growth Ops workflows and her personal one');
select isnt_empty($$ update public.teams set description = 'Edited by the owner'
                     where id = '10000000-0000-0000-0000-000000000001' returning id $$, 'the owner updates her team');

-- max: plain member of Growth Ops
select tests.authenticate_as('max');
select ok(public.is_team_member('10000000-0000-0000-0000-000000000001'), 'is_team_member: max is in Growth Ops');
select ok(not public.is_team_admin('10000000-0000-0000-0000-000000000001'), 'is_team_admin: max is a plain member');
select is_empty($$ update public.teams set description = 'Edited by a member'
                   where id = '10000000-0000-0000-0000-000000000001' returning id $$, 'a plain member cannot update the team');
select throws_ok($$ update public.users set role = 'admin' where id = '00000000-0000-0000-0000-000000000002' $$,
  '42501', 'only an admin can change a user''s role or is_active', 'max cannot promote himself');
select isnt_empty($$ update public.users set full_name = 'Max Renamed' where id = '00000000-0000-0000-0000-000000000002'
                     returning id $$, 'max renames his own profile');
select set_eq('select id from public.workflows',
  array['20000000-0000-0000-0000-000000000001', '20000000-0000-0000-0000-000000000002',
        '20000000-0000-0000-0000-000000000003', '20000000-0000-0000-0000-000000000005']::uuid[],
  'max reads the Growth Ops workflows and his personal one');

-- oscar: shares no team with the others
select tests.authenticate_as('oscar');
select results_eq('select id from public.teams', $$ values ('10000000-0000-0000-0000-000000000002'::uuid) $$,
  'oscar sees Solo Studio only');
select ok(not public.shares_team_with('00000000-0000-0000-0000-000000000001'), 'shares_team_with: oscar and olivia share no team');
select is_empty($$ select id from public.workflows where team_id = '10000000-0000-0000-0000-000000000001' $$,
  'oscar cannot read Growth Ops workflows');
select ok(not public.can_read_workflow('20000000-0000-0000-0000-000000000001'), 'can_read_workflow: not another team''s workflow');
select throws_ok($$ insert into public.team_members (team_id, user_id, role)
                    values ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000003', 'member') $$,
  '42501', null, 'oscar cannot add himself to Growth Ops');

-- dana: soft-deleted; her membership row remains but counts for nothing
select tests.authenticate_as('dana');
select ok(not public.is_team_member('10000000-0000-0000-0000-000000000001'), 'is_team_member: a soft-deleted user is no live member');
select is_empty('select id from public.users', 'dana cannot see even her own soft-deleted profile');
select is_empty('select id from public.teams', 'dana sees no teams');
select throws_ok($$ insert into public.teams (name, owner_id) values ('Dana team', '00000000-0000-0000-0000-000000000005') $$,
  '42501', null, 'a soft-deleted user cannot create teams');

-- ada: application admin
select tests.authenticate_as('ada');
select ok(public.is_admin(), 'is_admin: ada');
select is((select count(*)::int from public.users), 6, 'the admin sees every profile, the soft-deleted one included');

-- nina: signed up just now, in no team yet
select tests.authenticate_as('nina');
select is_empty('select id from public.teams', 'a new user is in no team');
select lives_ok($$ insert into public.teams (id, name, owner_id)
                   values ('10000000-0000-0000-0000-0000000000aa', 'Nina''s team', auth.uid()) $$,
  'a new user creates a team she owns');
select lives_ok($$ insert into public.team_members (team_id, user_id, role)
                   values ('10000000-0000-0000-0000-0000000000aa', auth.uid(), 'owner') $$,
  'the team owner adds herself as its first member');
select ok(public.is_team_admin('10000000-0000-0000-0000-0000000000aa'), 'is_team_admin: nina on her new team');

-- the service role bypasses RLS
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.teams), 3, 'service_role sees every team, Nina''s included');

select * from finish();
rollback;
