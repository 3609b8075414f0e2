-- Seed: 002_seed_teams.sql
-- Description: Two teams and their members.
--   10000000-0000-0000-0000-000000000001  Growth Ops   owner Olivia; members Max and Dana
--   10000000-0000-0000-0000-000000000002  Solo Studio  owner Oscar
-- Date: 2026-11-22

insert into public.teams (id, name, description, owner_id)
values
  ('10000000-0000-0000-0000-000000000001', 'Growth Ops',  'Sales and onboarding operations for the growth team.', '00000000-0000-0000-0000-000000000001'),
  ('10000000-0000-0000-0000-000000000002', 'Solo Studio', 'Oscar''s freelance design studio.',                      '00000000-0000-0000-0000-000000000003');

insert into public.team_members (team_id, user_id, role, permissions)
values
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'owner',  '{"manage_members": true, "manage_workflows": true, "view_reports": true}'),
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'member', '{"manage_members": false, "manage_workflows": false, "view_reports": true}'),
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000005', 'member', '{"manage_members": false, "manage_workflows": false, "view_reports": false}'),
  ('10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', 'owner',  '{"manage_members": true, "manage_workflows": true, "view_reports": true}');
