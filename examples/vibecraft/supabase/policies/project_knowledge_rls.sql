-- Policies: project_knowledge_rls.sql
-- Description: Row Level Security for public.project_knowledge. Viewers read the live documents of their projects;
--              editors and owners add, edit, soft-delete (set deleted_at) and delete them, and also see the trash
--              (deleted_at set) so they can restore. New rows must be attributed to the caller (created_by).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.project_knowledge enable row level security;

drop policy if exists "Members can view live documents" on public.project_knowledge;
drop policy if exists "Editors can view trashed documents" on public.project_knowledge;
drop policy if exists "Editors can add documents" on public.project_knowledge;
drop policy if exists "Editors can update documents" on public.project_knowledge;
drop policy if exists "Editors can delete documents" on public.project_knowledge;

create policy "Members can view live documents"
  on public.project_knowledge
  for select
  to authenticated
  using (deleted_at is null and public.is_project_member(project_id, 'viewer'));

-- Also lets an editor's soft delete (update ... set deleted_at = now()) pass: Postgres checks the updated row
-- against the select policies too
-- keel-ignore soft_delete_select_policy: showing trashed rows to editors is the point of this policy
create policy "Editors can view trashed documents"
  on public.project_knowledge
  for select
  to authenticated
  using (deleted_at is not null and public.is_project_member(project_id, 'editor'));

create policy "Editors can add documents"
  on public.project_knowledge
  for insert
  to authenticated
  with check (created_by = (select auth.uid()) and public.is_project_member(project_id, 'editor'));

create policy "Editors can update documents"
  on public.project_knowledge
  for update
  to authenticated
  using (public.is_project_member(project_id, 'editor'))
  with check (public.is_project_member(project_id, 'editor'));

create policy "Editors can delete documents"
  on public.project_knowledge
  for delete
  to authenticated
  using (public.is_project_member(project_id, 'editor'));
