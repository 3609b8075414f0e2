-- Policies: project_members_rls.sql
-- Description: Row Level Security for public.project_members. Members see who else is in their projects;
--              owners (the primary owner and members with role 'owner') add, change and remove members; any member
--              may leave. The primary owner's own membership is protected by the guard_primary_owner_membership
--              trigger.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.project_members enable row level security;

drop policy if exists "Members can view their project's members" on public.project_members;
drop policy if exists "Owners can add members" on public.project_members;
drop policy if exists "Owners can change members" on public.project_members;
drop policy if exists "Members can leave and owners can remove members" on public.project_members;

create policy "Members can view their project's members"
  on public.project_members
  for select
  to authenticated
  using (public.is_project_member(project_id, 'viewer'));

create policy "Owners can add members"
  on public.project_members
  for insert
  to authenticated
  with check (public.is_project_member(project_id, 'owner'));

create policy "Owners can change members"
  on public.project_members
  for update
  to authenticated
  using (public.is_project_member(project_id, 'owner'))
  with check (public.is_project_member(project_id, 'owner'));

create policy "Members can leave and owners can remove members"
  on public.project_members
  for delete
  to authenticated
  using (user_id = (select auth.uid()) or public.is_project_member(project_id, 'owner'));
