-- Policies: workflow_executions_rls.sql
-- Description: Row Level Security for public.workflow_executions. Run history is private: the user who ran it, the workflow's owner and the
--              workflow's team see it (not anon, not public viewers, not share recipients unless they ran it).
--              Users start runs, as themselves, of workflows they can edit; the runner updates the run; the
--              workflow's owner deletes history.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_executions enable row level security;

drop policy if exists "Runners, owners and team members can view executions" on public.workflow_executions;
drop policy if exists "Workflow editors can start executions" on public.workflow_executions;
drop policy if exists "Runners can update their executions" on public.workflow_executions;
drop policy if exists "Workflow owners can delete executions" on public.workflow_executions;

create policy "Runners, owners and team members can view executions"
  on public.workflow_executions
  for select
  to authenticated
  using (user_id = (select auth.uid()) or public.can_view_workflow_runs(workflow_id));

create policy "Workflow editors can start executions"
  on public.workflow_executions
  for insert
  to authenticated
  with check (user_id = (select auth.uid()) and public.can_edit_workflow(workflow_id));

create policy "Runners can update their executions"
  on public.workflow_executions
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Workflow owners can delete executions"
  on public.workflow_executions
  for delete
  to authenticated
  using (public.is_workflow_owner(workflow_id));
