-- pgTAP suite (run with `keel test db`): Renubu's RLS and functions as the seed's personas and a new hire, with the
-- Supabase test helpers. Rolled back at the end.
--   ada     admin                     casey   csm: customers 10…01-04 (10…05 hers but soft-deleted)
--   marcus  csm: customers 10…06-08    priya   pm: writes the feature registry, no customers
begin;
select plan(32);

update auth.users u
   set raw_user_meta_data = u.raw_user_meta_data || jsonb_build_object('test_identifier', p.identifier)
  from (values ('ada', '00000000-0000-0000-0000-000000000001'::uuid), ('casey', '00000000-0000-0000-0000-000000000002'),
               ('marcus', '00000000-0000-0000-0000-000000000003'), ('priya', '00000000-0000-0000-0000-000000000004')) as p(identifier, id)
 where u.id = p.id;

select tests.create_supabase_user('quinn', 'quinn@renubu.test', null, '{"full_name": "Quinn Newhire"}');
select is((select full_name from public.profiles where id = tests.get_supabase_uid('quinn')), 'Quinn Newhire',
  'a sign-up gets a profile from the handle_new_user trigger');
select is((select role::text from public.profiles where id = tests.get_supabase_uid('quinn')), 'csm', 'new profiles are CSMs');

-- anon: the public help centre only
select tests.clear_authentication();
select set_eq('select id from public.help_articles',
  array['32000000-0000-0000-0000-000000000001', '32000000-0000-0000-0000-000000000002', '32000000-0000-0000-0000-000000000003']::uuid[],
  'anon reads the published help articles, not drafts or deleted ones');
select isnt_empty('select id from public.releases', 'anon reads releases');
select is_empty('select id from public.documentation', 'anon cannot read internal documentation');
select is_empty('select id from public.customers', 'anon sees no customers');

-- casey
select tests.authenticate_as('casey');
select set_eq('select id from public.customers',
  array['10000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000002',
        '10000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000004']::uuid[],
  'casey sees her live customers, not the soft-deleted one');
select ok(public.can_access_customer('10000000-0000-0000-0000-000000000001'), 'can_access_customer: casey''s own customer');
select ok(not public.can_access_customer('10000000-0000-0000-0000-000000000006'), 'can_access_customer: not Marcus''s customer');
select ok(not public.can_access_customer('10000000-0000-0000-0000-000000000005'), 'can_access_customer: not a soft-deleted customer');
select ok(public.has_role(array['csm']), 'has_role: casey is a csm');
select ok(not public.can_manage_features(), 'can_manage_features: not for a csm');
select throws_ok($$ update public.profiles set role = 'admin' where id = auth.uid() $$,
  '42501', 'only an admin can change a profile''s role or deleted_at', 'casey cannot make herself admin');
select is_empty($$ update public.features set priority = 1 where id = '40000000-0000-0000-0000-000000000005' returning id $$,
  'a csm cannot reprioritise features');
select throws_ok($$ select public.create_release_snapshot('9.9.9', current_date, array['getting-started']) $$,
  '42501', null, 'a csm cannot cut a release (the function runs with her rights)');
select is_empty('select id from public.oauth_tokens where user_id <> auth.uid()', 'casey sees no one else''s OAuth tokens');

-- marcus
select tests.authenticate_as('marcus');
select is((select count(*)::int from public.customers), 3, 'marcus sees his 3 customers');
select is_empty($$ update public.customers set risk_score = 99 where id = '10000000-0000-0000-0000-000000000001' returning id $$,
  'marcus cannot edit Casey''s customer');

-- priya: product manager
select tests.authenticate_as('priya');
select ok(public.can_manage_features(), 'can_manage_features: a pm');
select is_empty('select id from public.customers', 'a pm has no customers');
select isnt_empty($$ update public.features set status = 'active' where id = '40000000-0000-0000-0000-000000000004' returning id $$,
  'a pm moves a feature to active');
select results_eq($$ select update_type, old_value, new_value, updated_by from public.feature_updates
                      where feature_id = '40000000-0000-0000-0000-000000000004' and update_type = 'status_change' $$,
  $$ values ('status_change'::text, 'planned'::text, 'active'::text, '00000000-0000-0000-0000-000000000004'::uuid) $$,
  'the change is logged in feature_updates, by her');

-- ada: admin cuts a release with a snapshot of two docs
select tests.authenticate_as('ada');
select ok(public.is_admin(), 'is_admin: ada');
select is((select count(*)::int from public.customers), 9, 'the admin sees every customer, soft-deleted included');
select throws_ok($$ select public.create_release_snapshot('9.9.9', current_date, array['no-such-doc']) $$,
  'P0002', 'create_release_snapshot: unknown documentation slug(s): no-such-doc', 'an unknown slug is refused');
select lives_ok($$ select public.create_release_snapshot('9.9.9', '2026-12-01', array['getting-started', 'risk-score']) $$,
  'the admin cuts release 9.9.9');
select results_eq($$ select version from public.releases where is_current $$, $$ values ('9.9.9'::text) $$,
  'the new release is the only current one');
select is((select count(*)::int from public.documentation_versions v join public.releases r on r.id = v.release_id
            where r.version = '9.9.9'), 2, 'both docs were snapshotted into documentation_versions');
select is((select release_date from public.documentation where slug = 'risk-score'), '2026-12-01'::date,
  'the doc carries the release date');

-- quinn: a new hire sees reference data but no customers
select tests.authenticate_as('quinn');
select is_empty('select id from public.customers', 'a new CSM has no customers');
select isnt_empty('select id from public.documentation', 'but reads the internal documentation');

-- service role
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.profiles), 6, 'the service role sees every profile');

select * from finish();
rollback;
