-- pgTAP suite (run with `keel test db`): SRVC CRM's RLS as the seed's businesses, a new sign-up, the admin, anon and
-- the service role, with the Supabase test helpers; and trial expiry with a frozen clock. Rolled back at the end.
--   sam    Rivera Plumbing: customers 10…01-04, Professional plan (active, yearly)
--   priya  Bright Spark Electrical: customers 10…05-07, Starter trial ending in 2 days
--   ada    SRVC staff: user_roles 'admin'
begin;
select plan(26);

update auth.users u
   set raw_user_meta_data = u.raw_user_meta_data || jsonb_build_object('test_identifier', p.identifier)
  from (values ('sam', '00000000-0000-0000-0000-000000000001'::uuid), ('priya', '00000000-0000-0000-0000-000000000002'),
               ('ada', '00000000-0000-0000-0000-000000000004')) as p(identifier, id)
 where u.id = p.id;

select tests.create_supabase_user('leo', 'leo@lopez-roofing.test', '+15550100', '{"business_name": "Lopez Roofing"}');

-- anon: only the active plans
select tests.clear_authentication();
select is((select count(*)::int from public.subscription_plans), 3, 'anon sees the 3 active plans, not the retired one');
select is_empty('select id from public.customers', 'anon sees no customers');
select throws_ok($$ insert into public.customers (user_id, name) values ('00000000-0000-0000-0000-000000000001', 'Anon') $$,
  '42501', null, 'anon cannot add customers');

-- sam
select tests.authenticate_as('sam');
select ok(not public.is_admin(), 'is_admin(): sam is not staff');
select set_eq('select id from public.customers',
  array['10000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000002',
        '10000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000004']::uuid[],
  'sam sees his 4 customers only');
select is((select count(*)::int from public.jobs), 5, 'sam sees his 5 jobs');
select is_empty($$ select id from public.invoices where user_id <> auth.uid() $$, 'sam sees no other business''s invoices');
select is((select count(*)::int from public.user_subscriptions), 1, 'sam sees his own subscription');
select is_empty($$ update public.customers set notes = 'not mine' where id = '10000000-0000-0000-0000-000000000005' returning id $$,
  'sam cannot update Priya''s customer');
select isnt_empty($$ update public.customers set notes = 'Gate code 4521' where id = '10000000-0000-0000-0000-000000000001' returning id $$,
  'sam updates his own customer');
select throws_ok($$ insert into public.customers (user_id, name) values ('00000000-0000-0000-0000-000000000002', 'Planted') $$,
  '42501', null, 'sam cannot add a customer to Priya''s book');
select is_empty('select id from public.user_roles', 'sam has no roles');

-- leo: signed up just now
select tests.authenticate_as('leo');
select is_empty('select id from public.customers', 'a new business starts with no customers');
select lives_ok($$ insert into public.customers (id, user_id, name, email)
                   values ('10000000-0000-0000-0000-0000000000aa', auth.uid(), 'First Customer', 'first@example.com') $$,
  'a new business adds its first customer');
select lives_ok($$ insert into public.jobs (user_id, customer_id, title)
                   values (auth.uid(), '10000000-0000-0000-0000-0000000000aa', 'Roof inspection') $$,
  'and a job for that customer');
select throws_ok($$ insert into public.jobs (user_id, customer_id, title)
                    values (auth.uid(), '10000000-0000-0000-0000-000000000001', 'Poached job') $$,
  '23503', null, 'a job for another business''s customer breaks the (customer_id, user_id) foreign key');
select is((auth.jwt() -> 'user_metadata' ->> 'business_name'), 'Lopez Roofing', 'the claims carry the user''s metadata');

-- ada: staff
select tests.authenticate_as('ada');
select ok(public.is_admin(), 'is_admin(): ada is staff');
select is((select count(*)::int from public.customers), 8, 'the admin sees every customer, Leo''s new one included');
select is((select count(*)::int from public.subscription_plans), 4, 'the admin sees the retired plan too');

-- service role (billing): bypasses RLS
select tests.authenticate_as_service_role();
select is(auth.role(), 'service_role', 'auth.role() is service_role');
select is((select count(*)::int from public.user_subscriptions), 2, 'the service role sees every subscription');

-- Trials: a frozen clock makes "expired" deterministic. The query calls now(), which freeze_time overrides.
select tests.freeze_time(date_trunc('day', pg_catalog.now()) + interval '30 days');
select is(now(), date_trunc('day', pg_catalog.now()) + interval '30 days', 'now() is frozen 30 days ahead');
select results_eq($$ select id from public.user_subscriptions where status = 'trialing' and current_period_end < now() $$,
  $$ values ('60000000-0000-0000-0000-000000000002'::uuid) $$, 'in 30 days Priya''s trial has run out');
select tests.unfreeze_time();
select is_empty($$ select id from public.user_subscriptions where current_period_end < now() $$, 'today no period has ended');
select is(now(), pg_catalog.now(), 'unfreeze_time() gives the real now() back');

select * from finish();
rollback;
