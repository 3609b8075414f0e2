-- Seed: 006_seed_soft_deleted_user.sql
-- Description: Dana leaves: deleting her profile goes through the before_delete_user trigger, which keeps the row,
--              sets deleted_at, deactivates it and anonymises the email. Her team membership stays (history), but
--              is_team_member() ignores soft-deleted users, so she no longer sees Growth Ops data.
-- Date: 2026-11-22

delete from public.users where id = '00000000-0000-0000-0000-000000000005';
