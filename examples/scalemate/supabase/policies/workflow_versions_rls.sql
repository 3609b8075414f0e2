-- Policies: workflow_versions_rls.sql
-- Description: Row Level Security for public.workflow_versions. Everyone who can read a workflow reads its versions and may save new ones (the
--              version number is bumped by the increment_version trigger); the workflow's managers delete them;
--              admins manage all versions.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_versions enable row level security;

drop policy if exists "Team members can read workflow versions" on public.workflow_versions;
drop policy if exists "Team members can save workflow versions" on public.workflow_versions;
drop policy if exists "Team members can update workflow versions" on public.workflow_versions;
drop policy if exists "Workflow managers can delete workflow versions" on public.workflow_versions;
drop policy if exists "Admins can manage all workflow versions" on public.workflow_versions;

create policy "Team members can read workflow versions"
  on public.workflow_versions
  for select
  to authenticated
  using (public.can_read_workflow(workflow_id));

create policy "Team members can save workflow versions"
  on public.workflow_versions
  for insert
  to authenticated
  with check (public.can_read_workflow(workflow_id));

create policy "Team members can update workflow versions"
  on public.workflow_versions
  for update
  to authenticated
  using (public.can_read_workflow(workflow_id))
  with check (public.can_read_workflow(workflow_id));

create policy "Workflow managers can delete workflow versions"
  on public.workflow_versions
  for delete
  to authenticated
  using (public.can_manage_workflow(workflow_id));

create policy "Admins can manage all workflow versions"
  on public.workflow_versions
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
