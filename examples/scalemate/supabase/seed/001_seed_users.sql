-- Seed: 001_seed_users.sql
-- Description: Five personas with fixed ids, as Supabase Auth users (auth.users) and matching public.users profiles:
--   00000000-0000-0000-0000-000000000001  Olivia Owner    manager  owner of team Growth Ops
--   00000000-0000-0000-0000-000000000002  Max Member      member   member of Growth Ops
--   00000000-0000-0000-0000-000000000003  Oscar Outsider  member   owner of team Solo Studio, shares no team with the others
--   00000000-0000-0000-0000-000000000004  Ada Admin       admin    application admin, in no team
--   00000000-0000-0000-0000-000000000005  Dana Departed   member   former Growth Ops member, soft-deleted below
-- Upserts, so the file also works when auth.users kept its rows across a reset of the public schema.
-- Date: 2026-11-22

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at, created_at)
values
  ('00000000-0000-0000-0000-000000000001', 'olivia@scalemate.test', '{"full_name": "Olivia Owner"}',   '{"provider": "email", "providers": ["email"]}', now(), now() - interval '120 days'),
  ('00000000-0000-0000-0000-000000000002', 'max@scalemate.test',    '{"full_name": "Max Member"}',     '{"provider": "email", "providers": ["email"]}', now(), now() - interval '90 days'),
  ('00000000-0000-0000-0000-000000000003', 'oscar@scalemate.test',  '{"full_name": "Oscar Outsider"}', '{"provider": "email", "providers": ["email"]}', now(), now() - interval '60 days'),
  ('00000000-0000-0000-0000-000000000004', 'ada@scalemate.test',    '{"full_name": "Ada Admin"}',      '{"provider": "email", "providers": ["email"]}', now(), now() - interval '365 days'),
  ('00000000-0000-0000-0000-000000000005', 'dana@scalemate.test',   '{"full_name": "Dana Departed"}',  '{"provider": "email", "providers": ["email"]}', now(), now() - interval '200 days')
on conflict (id) do update set
  email = excluded.email,
  raw_user_meta_data = excluded.raw_user_meta_data,
  raw_app_meta_data = excluded.raw_app_meta_data;

-- The on_auth_user_created trigger has already made 'member' profiles; set the real names, roles and logins
insert into public.users (id, email, full_name, role, last_login)
values
  ('00000000-0000-0000-0000-000000000001', 'olivia@scalemate.test', 'Olivia Owner',   'manager', now() - interval '2 hours'),
  ('00000000-0000-0000-0000-000000000002', 'max@scalemate.test',    'Max Member',     'member',  now() - interval '1 day'),
  ('00000000-0000-0000-0000-000000000003', 'oscar@scalemate.test',  'Oscar Outsider', 'member',  now() - interval '3 days'),
  ('00000000-0000-0000-0000-000000000004', 'ada@scalemate.test',    'Ada Admin',      'admin',   now() - interval '30 minutes'),
  ('00000000-0000-0000-0000-000000000005', 'dana@scalemate.test',   'Dana Departed',  'member',  now() - interval '45 days')
on conflict (id) do update set
  email = excluded.email,
  full_name = excluded.full_name,
  role = excluded.role,
  last_login = excluded.last_login;
