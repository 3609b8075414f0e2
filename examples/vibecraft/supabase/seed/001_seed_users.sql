-- Seed: 001_seed_users.sql
-- Description: Four personas with fixed ids, as Supabase Auth users (auth.users) and matching public.users
--              profiles (the fifth persona of supabase/tests/rls.yaml is anon, who is not signed in):
--   00000000-0000-0000-0000-000000000001  Olivia Owner     owns Storybook Generator, Portfolio Site and (in her trash) Old Landing Page
--   00000000-0000-0000-0000-000000000002  Eddie Editor     editor in Storybook Generator (and in the trashed Old Landing Page)
--   00000000-0000-0000-0000-000000000003  Vera Viewer      viewer in Storybook Generator
--   00000000-0000-0000-0000-000000000004  Oscar Outsider   owns Recipe Bot; shares no project with the others
-- Upserts, so the file also works when auth.users kept its rows across a reset of the public schema.
-- Date: 2026-11-22

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at, created_at)
values
  ('00000000-0000-0000-0000-000000000001', 'olivia@vibecraft.test', '{"full_name": "Olivia Owner"}',   '{"provider": "email", "providers": ["email"]}',   now(), now() - interval '240 days'),
  ('00000000-0000-0000-0000-000000000002', 'eddie@vibecraft.test',  '{"full_name": "Eddie Editor"}',   '{"provider": "github", "providers": ["github"]}', now(), now() - interval '120 days'),
  ('00000000-0000-0000-0000-000000000003', 'vera@vibecraft.test',   '{"full_name": "Vera Viewer"}',    '{"provider": "email", "providers": ["email"]}',   now(), now() - interval '45 days'),
  ('00000000-0000-0000-0000-000000000004', 'oscar@vibecraft.test',  '{"full_name": "Oscar Outsider"}', '{"provider": "google", "providers": ["google"]}', now(), now() - interval '20 days')
on conflict (id) do update set
  email = excluded.email,
  raw_user_meta_data = excluded.raw_user_meta_data,
  raw_app_meta_data = excluded.raw_app_meta_data;

-- The on_auth_user_created trigger has already made bare profiles; fill in the rest
insert into public.users (id, email, full_name, avatar_url, bio, plan, preferences, last_seen_at)
values
  ('00000000-0000-0000-0000-000000000001', 'olivia@vibecraft.test', 'Olivia Owner',   'https://avatars.example.com/olivia.png', 'Indie maker shipping small AI apps.', 'studio',  '{"theme": "dark", "editor": {"font_size": 14, "vim": false}}', now() - interval '5 minutes'),
  ('00000000-0000-0000-0000-000000000002', 'eddie@vibecraft.test',  'Eddie Editor',   'https://avatars.example.com/eddie.png',  'Front-end developer.',                'creator', '{"theme": "light"}',                                           now() - interval '1 hour'),
  ('00000000-0000-0000-0000-000000000003', 'vera@vibecraft.test',   'Vera Viewer',    null,                                      'Product manager, reviews builds.',   'free',    '{"notifications": {"email": true}}',                            now() - interval '2 days'),
  ('00000000-0000-0000-0000-000000000004', 'oscar@vibecraft.test',  'Oscar Outsider', null,                                      null,                                 'free',    '{}',                                                            now() - interval '6 hours')
on conflict (id) do update set
  email = excluded.email,
  full_name = excluded.full_name,
  avatar_url = excluded.avatar_url,
  bio = excluded.bio,
  plan = excluded.plan,
  preferences = excluded.preferences,
  last_seen_at = excluded.last_seen_at;
