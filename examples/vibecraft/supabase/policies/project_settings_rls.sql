-- Policies: project_settings_rls.sql
-- Description: Row Level Security for public.project_settings. Every member reads the project's settings;
--              only owners (the primary owner and members with role 'owner') create, change or delete them.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.project_settings enable row level security;

drop policy if exists "Members can view project settings" on public.project_settings;
drop policy if exists "Owners can create project settings" on public.project_settings;
drop policy if exists "Owners can update project settings" on public.project_settings;
drop policy if exists "Owners can delete project settings" on public.project_settings;

create policy "Members can view project settings"
  on public.project_settings
  for select
  to authenticated
  using (public.is_project_member(project_id, 'viewer'));

create policy "Owners can create project settings"
  on public.project_settings
  for insert
  to authenticated
  with check (public.is_project_member(project_id, 'owner'));

create policy "Owners can update project settings"
  on public.project_settings
  for update
  to authenticated
  using (public.is_project_member(project_id, 'owner'))
  with check (public.is_project_member(project_id, 'owner'));

create policy "Owners can delete project settings"
  on public.project_settings
  for delete
  to authenticated
  using (public.is_project_member(project_id, 'owner'));
