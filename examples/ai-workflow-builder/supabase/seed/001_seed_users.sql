-- Seed: 001_seed_users.sql
-- Description: Five personas with fixed ids, as Supabase Auth users (auth.users) and matching public.users profiles:
--   00000000-0000-0000-0000-000000000001  Alice Owner         owner of team Acme Automation; shares two workflows with Dave
--   00000000-0000-0000-0000-000000000002  Bob Editor          editor in Acme Automation; Carol shares one workflow with him
--   00000000-0000-0000-0000-000000000003  Carol Outsider      owner of team Carol Consulting; shares no team with the others
--   00000000-0000-0000-0000-000000000004  Dave Collaborator   in no team; sees Alice's workflows only through shares
--   00000000-0000-0000-0000-000000000005  Erin Viewer         viewer in Acme Automation
-- Upserts, so the file also works when auth.users kept its rows across a reset of the public schema.
-- Date: 2026-11-22

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at, created_at)
values
  ('00000000-0000-0000-0000-000000000001', 'alice@flowbuilder.test', '{"full_name": "Alice Owner"}',       '{"provider": "email", "providers": ["email"]}', now(), now() - interval '300 days'),
  ('00000000-0000-0000-0000-000000000002', 'bob@flowbuilder.test',   '{"full_name": "Bob Editor"}',        '{"provider": "email", "providers": ["email"]}', now(), now() - interval '200 days'),
  ('00000000-0000-0000-0000-000000000003', 'carol@flowbuilder.test', '{"full_name": "Carol Outsider"}',    '{"provider": "github", "providers": ["github"]}', now(), now() - interval '150 days'),
  ('00000000-0000-0000-0000-000000000004', 'dave@flowbuilder.test',  '{"full_name": "Dave Collaborator"}', '{"provider": "email", "providers": ["email"]}', now(), now() - interval '90 days'),
  ('00000000-0000-0000-0000-000000000005', 'erin@flowbuilder.test',  '{"full_name": "Erin Viewer"}',       '{"provider": "email", "providers": ["email"]}', now(), now() - interval '30 days')
on conflict (id) do update set
  email = excluded.email,
  raw_user_meta_data = excluded.raw_user_meta_data,
  raw_app_meta_data = excluded.raw_app_meta_data;

-- The on_auth_user_created trigger has already made bare profiles; fill in the rest
insert into public.users (id, email, full_name, avatar_url, subscription_tier, monthly_execution_limit, preferences, onboarding_completed, last_active_at)
values
  ('00000000-0000-0000-0000-000000000001', 'alice@flowbuilder.test', 'Alice Owner',       'https://avatars.example.com/alice.png', 'team', 10000, '{"theme": "dark", "canvas_snap": true}',  true,  now() - interval '10 minutes'),
  ('00000000-0000-0000-0000-000000000002', 'bob@flowbuilder.test',   'Bob Editor',        'https://avatars.example.com/bob.png',   'team', 10000, '{"theme": "light"}',                     true,  now() - interval '2 hours'),
  ('00000000-0000-0000-0000-000000000003', 'carol@flowbuilder.test', 'Carol Outsider',    null,                                     'pro',  2000,  '{"theme": "system"}',                    true,  now() - interval '1 day'),
  ('00000000-0000-0000-0000-000000000004', 'dave@flowbuilder.test',  'Dave Collaborator', null,                                     'free', 100,   '{}',                                     false, now() - interval '3 days'),
  ('00000000-0000-0000-0000-000000000005', 'erin@flowbuilder.test',  'Erin Viewer',       null,                                     'team', 10000, '{"notifications": {"email": false}}',    true,  now() - interval '5 hours')
on conflict (id) do update set
  email = excluded.email,
  full_name = excluded.full_name,
  avatar_url = excluded.avatar_url,
  subscription_tier = excluded.subscription_tier,
  monthly_execution_limit = excluded.monthly_execution_limit,
  preferences = excluded.preferences,
  onboarding_completed = excluded.onboarding_completed,
  last_active_at = excluded.last_active_at;
