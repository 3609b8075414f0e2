-- Policies: project_prompts_rls.sql
-- Description: Row Level Security for public.project_prompts. The AI conversation history is shared with
--              the whole project: viewers read it; editors and owners send prompts as themselves; authors (while
--              still editors) edit their own turns; authors and owners delete turns.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.project_prompts enable row level security;

drop policy if exists "Members can view the project's prompts" on public.project_prompts;
drop policy if exists "Editors can send prompts" on public.project_prompts;
drop policy if exists "Authors can update their prompts" on public.project_prompts;
drop policy if exists "Authors and owners can delete prompts" on public.project_prompts;

create policy "Members can view the project's prompts"
  on public.project_prompts
  for select
  to authenticated
  using (public.is_project_member(project_id, 'viewer'));

create policy "Editors can send prompts"
  on public.project_prompts
  for insert
  to authenticated
  with check (user_id = (select auth.uid()) and public.is_project_member(project_id, 'editor'));

create policy "Authors can update their prompts"
  on public.project_prompts
  for update
  to authenticated
  using (user_id = (select auth.uid()) and public.is_project_member(project_id, 'editor'))
  with check (user_id = (select auth.uid()) and public.is_project_member(project_id, 'editor'));

create policy "Authors and owners can delete prompts"
  on public.project_prompts
  for delete
  to authenticated
  using (
    (user_id = (select auth.uid()) and public.is_project_member(project_id, 'editor'))
    or public.is_project_member(project_id, 'owner')
  );
