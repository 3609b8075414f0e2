-- pgTAP suite (run with `keel test db`): the AI Workflow Builder's RLS and sharing rules as the seed's personas and a
-- new user, with the Supabase test helpers, including a share expiring under a frozen clock. Rolled back at the end.
--   alice  owner of Acme Automation (10…01); shares workflow 02 (view) and 04 (edit, expires in 90 days) with dave
--   bob    editor in Acme                     carol  owner of Carol Consulting (10…02), in no team with the others
--   dave   in no team; sees 02 and 04 through shares        erin  viewer in Acme
-- Workflows 20…01-04 Alice's personal, 05 Alice's in Acme, 06-07 Bob's in Acme, 08 Bob's, 09-10 Carol's, 11 Carol
-- Consulting's, 12 Dave's; 03 and 09 are public.
begin;
select plan(30);

update auth.users u
   set raw_user_meta_data = u.raw_user_meta_data || jsonb_build_object('test_identifier', p.identifier)
  from (values ('alice', '00000000-0000-0000-0000-000000000001'::uuid), ('bob', '00000000-0000-0000-0000-000000000002'),
               ('carol', '00000000-0000-0000-0000-000000000003'), ('dave', '00000000-0000-0000-0000-000000000004'),
               ('erin', '00000000-0000-0000-0000-000000000005')) as p(identifier, id)
 where u.id = p.id;

-- has_workflow_share() compares expires_at with now() under its own `set search_path = ''`, so it reads
-- pg_catalog.now() and ignores tests.freeze_time(); put test_overrides first for this transaction (rolled back).
alter function public.has_workflow_share(uuid, public.share_permission) set search_path = test_overrides, pg_catalog;

select tests.create_supabase_user('zoe', 'zoe@flowbuilder.test', null, '{"full_name": "Zoe Newcomer"}');
select is((select full_name from public.users where id = tests.get_supabase_uid('zoe')), 'Zoe Newcomer',
  'a sign-up gets a public.users profile from on_auth_user_created');

-- anon: public workflows and the catalogues only
select tests.clear_authentication();
select set_eq('select id from public.workflows',
  array['20000000-0000-0000-0000-000000000003', '20000000-0000-0000-0000-000000000009']::uuid[], 'anon sees the 2 public workflows');
select isnt_empty('select id from public.ai_models', 'anon reads the AI model catalogue');
select is_empty('select id from public.users', 'anon sees no users');

-- alice: team owner
select tests.authenticate_as('alice');
select ok(public.has_team_role('10000000-0000-0000-0000-000000000001', 'owner'), 'has_team_role: alice owns Acme');
select ok(public.is_workflow_owner('20000000-0000-0000-0000-000000000001'), 'is_workflow_owner: her personal workflow');
select ok(public.can_edit_workflow('20000000-0000-0000-0000-000000000006'), 'can_edit_workflow: Bob''s Acme workflow, as team owner');
select ok(not public.can_view_workflow('20000000-0000-0000-0000-000000000010'), 'can_view_workflow: not Carol''s private workflow');
select ok(public.can_view_workflow('20000000-0000-0000-0000-000000000009'), 'can_view_workflow: Carol''s public one');

-- bob: editor in Acme
select tests.authenticate_as('bob');
select ok(public.has_team_role('10000000-0000-0000-0000-000000000001', 'editor'), 'has_team_role: bob is an editor');
select ok(not public.has_team_role('10000000-0000-0000-0000-000000000001', 'admin'), 'has_team_role: but not an admin');
select ok(public.has_workflow_share('20000000-0000-0000-0000-000000000010', 'view'), 'has_workflow_share: Carol shared 10 with bob');
select ok(not public.has_workflow_share('20000000-0000-0000-0000-000000000010', 'edit'), 'has_workflow_share: for viewing only');
select throws_ok($$ update public.workflows set is_public = true where id = '20000000-0000-0000-0000-000000000005' $$,
  '42501', 'only the owner of a workflow can change its owner, team or visibility', 'an editor cannot publish Alice''s workflow');
select throws_ok($$ update public.users set subscription_tier = 'enterprise' where id = auth.uid() $$,
  '42501', 'subscription_tier and monthly_execution_limit are managed by billing', 'nobody upgrades their own tier');

-- erin: viewer in Acme
select tests.authenticate_as('erin');
select ok(public.is_team_member('10000000-0000-0000-0000-000000000001'), 'is_team_member: erin is in Acme');
select ok(not public.can_edit_workflow('20000000-0000-0000-0000-000000000005'), 'can_edit_workflow: a viewer cannot edit');
select is_empty($$ update public.workflows set description = 'edited' where id = '20000000-0000-0000-0000-000000000005' returning id $$,
  'a viewer''s update touches nothing');

-- carol: outsider
select tests.authenticate_as('carol');
select ok(not public.shares_team_with('00000000-0000-0000-0000-000000000001'), 'shares_team_with: carol and alice share no team');
select is_empty($$ select id from public.workflows where team_id = '10000000-0000-0000-0000-000000000001' $$,
  'carol cannot see Acme''s workflows');

-- dave: shares, then the edit share expires under a frozen clock
select tests.authenticate_as('dave');
select ok(public.can_view_workflow('20000000-0000-0000-0000-000000000002'), 'can_view_workflow: shared with dave for viewing');
select ok(public.can_edit_workflow('20000000-0000-0000-0000-000000000004'), 'can_edit_workflow: shared with dave for editing');
select isnt_empty($$ update public.workflows set description = 'edited by dave' where id = '20000000-0000-0000-0000-000000000004' returning id $$,
  'dave edits workflow 04 through his share');
select tests.freeze_time(pg_catalog.now() + interval '100 days');
select ok(not public.can_edit_workflow('20000000-0000-0000-0000-000000000004'), 'in 100 days the 90-day edit share has expired');
select is_empty($$ update public.workflows set description = 'too late' where id = '20000000-0000-0000-0000-000000000004' returning id $$,
  'and dave can no longer edit 04');
select ok(public.can_view_workflow('20000000-0000-0000-0000-000000000002'), 'the view share without expiry still holds');
select tests.unfreeze_time();
select ok(public.can_edit_workflow('20000000-0000-0000-0000-000000000004'), 'back in the present the edit share holds again');

-- zoe: new user
select tests.authenticate_as('zoe');
select lives_ok($$ insert into public.workflows (id, user_id, name) values ('20000000-0000-0000-0000-0000000000aa', auth.uid(), 'First flow') $$,
  'a new user creates her own workflow');
select throws_ok($$ insert into public.workflows (user_id, team_id, name)
                    values (auth.uid(), '10000000-0000-0000-0000-000000000001', 'Into Acme') $$,
  '42501', null, 'but not in a team she is not an editor of');

-- service role
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.workflows), 13, 'the service role sees all 13 workflows, Zoe''s included');

select * from finish();
rollback;
