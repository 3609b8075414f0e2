-- Seed: 001_seed_users.sql
-- Description: Four personas with fixed ids, as Supabase Auth users (auth.users), and the admin role:
--   00000000-0000-0000-0000-000000000001  Sam Rivera    owner of Rivera Plumbing & Heating; 4 customers, 5 jobs,
--                                                       3 quotes, 3 invoices, Professional plan (active)
--   00000000-0000-0000-0000-000000000002  Priya Shah    owner of Bright Spark Electrical; 3 customers, 3 jobs,
--                                                       2 quotes, 2 invoices, Starter plan (trialing)
--   00000000-0000-0000-0000-000000000003  Noah Newman   signed up yesterday: no data, no subscription
--   00000000-0000-0000-0000-000000000004  Ada Admin     SRVC staff, role 'admin' in public.user_roles
-- Upserts, so the file also works when auth.users kept its rows across a reset of the public schema.
-- Date: 2024-09-08

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at, created_at)
values
  ('00000000-0000-0000-0000-000000000001', 'sam@riveraplumbing.test', '{"full_name": "Sam Rivera", "business_name": "Rivera Plumbing & Heating"}', '{"provider": "email", "providers": ["email"]}', now(), now() - interval '400 days'),
  ('00000000-0000-0000-0000-000000000002', 'priya@brightspark.test',  '{"full_name": "Priya Shah", "business_name": "Bright Spark Electrical"}',   '{"provider": "email", "providers": ["email"]}', now(), now() - interval '12 days'),
  ('00000000-0000-0000-0000-000000000003', 'noah@newman-hvac.test',   '{"full_name": "Noah Newman"}',                                                '{"provider": "email", "providers": ["email"]}', null,  now() - interval '1 day'),
  ('00000000-0000-0000-0000-000000000004', 'ada@srvc.test',           '{"full_name": "Ada Admin"}',                                                  '{"provider": "email", "providers": ["email"]}', now(), now() - interval '700 days')
on conflict (id) do update set
  email = excluded.email,
  raw_user_meta_data = excluded.raw_user_meta_data,
  raw_app_meta_data = excluded.raw_app_meta_data;

-- The seed document's admin model: user_roles(user_id, role)
insert into public.user_roles (id, user_id, role)
values
  ('70000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000004', 'admin');
