-- Seed: 002_seed_teams.sql
-- Description: Two teams.
--   10000000-0000-0000-0000-000000000001  Acme Automation   Alice owner, Bob editor, Erin viewer
--   10000000-0000-0000-0000-000000000002  Carol Consulting  Carol owner
-- Date: 2026-11-22

insert into public.teams (id, name, slug, description, owner_id, plan, max_members, monthly_execution_limit)
values
  ('10000000-0000-0000-0000-000000000001', 'Acme Automation',  'acme-automation',  'Revenue operations automations for Acme Corp.', '00000000-0000-0000-0000-000000000001', 'business', 25, 50000),
  ('10000000-0000-0000-0000-000000000002', 'Carol Consulting', 'carol-consulting', 'Client workflows of a one-person consultancy.',  '00000000-0000-0000-0000-000000000003', 'team',     5,  5000);

insert into public.team_members (team_id, user_id, role, invited_by, joined_at)
values
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'owner',  null,                                   now() - interval '280 days'),
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'editor', '00000000-0000-0000-0000-000000000001', now() - interval '190 days'),
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000005', 'viewer', '00000000-0000-0000-0000-000000000001', now() - interval '25 days'),
  ('10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', 'owner',  null,                                   now() - interval '140 days');
