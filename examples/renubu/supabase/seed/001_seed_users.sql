-- Seed: 001_seed_users.sql
-- Description: Five personas with fixed ids, as Supabase Auth users (auth.users) and their public.profiles:
--   00000000-0000-0000-0000-000000000001  Ada Admin       admin  sees and manages everything (admin override)
--   00000000-0000-0000-0000-000000000002  Casey Chen      csm    4 live customers (+1 soft-deleted), 3 executions
--   00000000-0000-0000-0000-000000000003  Marcus Reed     csm    3 customers, 2 executions
--   00000000-0000-0000-0000-000000000004  Priya Patel     pm     no customers; manages the feature registry
--   00000000-0000-0000-0000-000000000005  Oscar Outsider  csm    signed in, but nothing is assigned to him
-- plus one auth user who is not a persona:
--   00000000-0000-0000-0000-000000000006  Nina Newhire    invited (auth.users only): her profile is created when she
--                                                        finishes onboarding, so this seed removes the one the
--                                                        sign-up trigger made (tests/rls.yaml inserts it)
-- (anon, not signed in, is the sixth persona: it has no row.)
-- Upserts, so the file also works when auth.users kept its rows across a reset of the public schema.
-- Date: 2026-11-22

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at, created_at)
values
  ('00000000-0000-0000-0000-000000000001', 'ada@renubu.test',    '{"full_name": "Ada Admin"}',      '{"provider": "email", "providers": ["email"]}',   now(), now() - interval '400 days'),
  ('00000000-0000-0000-0000-000000000002', 'casey@renubu.test',  '{"full_name": "Casey Chen"}',     '{"provider": "google", "providers": ["google"]}', now(), now() - interval '300 days'),
  ('00000000-0000-0000-0000-000000000003', 'marcus@renubu.test', '{"full_name": "Marcus Reed"}',    '{"provider": "google", "providers": ["google"]}', now(), now() - interval '200 days'),
  ('00000000-0000-0000-0000-000000000004', 'priya@renubu.test',  '{"full_name": "Priya Patel"}',    '{"provider": "email", "providers": ["email"]}',   now(), now() - interval '120 days'),
  ('00000000-0000-0000-0000-000000000005', 'oscar@renubu.test',  '{"full_name": "Oscar Outsider"}', '{"provider": "email", "providers": ["email"]}',   now(), now() - interval '10 days'),
  ('00000000-0000-0000-0000-000000000006', 'nina@renubu.test',   '{"full_name": "Nina Newhire"}',   '{"provider": "email", "providers": ["email"]}',   null,  now() - interval '1 day')
on conflict (id) do update set
  email = excluded.email,
  raw_user_meta_data = excluded.raw_user_meta_data,
  raw_app_meta_data = excluded.raw_app_meta_data;

-- The on_auth_user_created trigger has already made csm profiles; set roles and the rest
insert into public.profiles (id, email, full_name, role, title, timezone)
values
  ('00000000-0000-0000-0000-000000000001', 'ada@renubu.test',    'Ada Admin',      'admin', 'Head of Customer Success', 'America/New_York'),
  ('00000000-0000-0000-0000-000000000002', 'casey@renubu.test',  'Casey Chen',     'csm',   'Senior CSM',               'America/Los_Angeles'),
  ('00000000-0000-0000-0000-000000000003', 'marcus@renubu.test', 'Marcus Reed',    'csm',   'CSM',                      'Europe/London'),
  ('00000000-0000-0000-0000-000000000004', 'priya@renubu.test',  'Priya Patel',    'pm',    'Product Manager',          'America/Chicago'),
  ('00000000-0000-0000-0000-000000000005', 'oscar@renubu.test',  'Oscar Outsider', 'csm',   'CSM (new hire)',           'UTC')
on conflict (id) do update set
  email = excluded.email,
  full_name = excluded.full_name,
  role = excluded.role,
  title = excluded.title,
  timezone = excluded.timezone,
  deleted_at = null;

-- Nina has not finished onboarding: no profile yet
delete from public.profiles where id = '00000000-0000-0000-0000-000000000006';
