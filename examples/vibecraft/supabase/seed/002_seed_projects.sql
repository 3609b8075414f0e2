-- Seed: 002_seed_projects.sql
-- Description: Four projects and their members. The add_owner_membership trigger makes each owner an 'owner'
--   member; the other memberships are added here.
--   10000000-0000-0000-0000-000000000001  Storybook Generator  Olivia (owner), Eddie (editor), Vera (viewer)
--   10000000-0000-0000-0000-000000000002  Portfolio Site       Olivia (owner); no project_settings row yet
--   10000000-0000-0000-0000-000000000003  Recipe Bot           Oscar (owner)
--   10000000-0000-0000-0000-000000000004  Old Landing Page     Olivia (owner), Eddie (editor); soft-deleted (in Olivia's trash)
-- Date: 2026-11-22

insert into public.projects (id, owner_id, name, description, framework, status, thumbnail_url, last_opened_at, deleted_at, created_at)
values
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'Storybook Generator',
   'Turns a child''s drawing and a sentence into an illustrated bedtime story.', 'nextjs', 'active',
   'https://cdn.vibecraft.test/thumbs/storybook.png', now() - interval '10 minutes', null, now() - interval '60 days'),
  ('10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'Portfolio Site',
   'Personal portfolio with a chat-with-my-CV widget.', 'svelte', 'active',
   null, now() - interval '3 days', null, now() - interval '4 days'),
  ('10000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004', 'Recipe Bot',
   'Suggests dinners from a photo of the fridge.', 'react', 'active',
   null, now() - interval '6 hours', null, now() - interval '15 days'),
  ('10000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', 'Old Landing Page',
   'First landing page experiment, replaced by the portfolio.', 'static', 'archived',
   null, now() - interval '90 days', now() - interval '2 days', now() - interval '200 days');

insert into public.project_members (project_id, user_id, role, invited_by, joined_at)
values
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'editor', '00000000-0000-0000-0000-000000000001', now() - interval '55 days'),
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000003', 'viewer', '00000000-0000-0000-0000-000000000001', now() - interval '30 days'),
  ('10000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000002', 'editor', '00000000-0000-0000-0000-000000000001', now() - interval '190 days')
on conflict (project_id, user_id) do update set role = excluded.role, invited_by = excluded.invited_by;
