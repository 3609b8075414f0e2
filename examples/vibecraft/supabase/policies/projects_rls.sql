-- Policies: projects_rls.sql
-- Description: Row Level Security for public.projects. Members see the live projects they belong to; the primary
--              owner also sees their projects in the trash. Anyone signed in creates projects they own; editors and
--              owners edit; only the primary owner deletes (trash, restore and transfer are guarded by the
--              guard_project_ownership trigger).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.projects enable row level security;

drop policy if exists "Members can view their projects" on public.projects;
drop policy if exists "Users can create their own projects" on public.projects;
drop policy if exists "Editors can update projects" on public.projects;
drop policy if exists "Owners can delete their projects" on public.projects;

-- is_project_member() covers the primary owner (trash included) and live memberships
create policy "Members can view their projects"
  on public.projects
  for select
  to authenticated
  using (owner_id = (select auth.uid()) or public.is_project_member(id, 'viewer'));

create policy "Users can create their own projects"
  on public.projects
  for insert
  to authenticated
  with check (owner_id = (select auth.uid()));

create policy "Editors can update projects"
  on public.projects
  for update
  to authenticated
  using (public.is_project_member(id, 'editor'))
  with check (public.is_project_member(id, 'editor'));

create policy "Owners can delete their projects"
  on public.projects
  for delete
  to authenticated
  using (owner_id = (select auth.uid()));
