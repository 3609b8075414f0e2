-- Policies: workflow_actions_rls.sql
-- Description: Row Level Security for public.workflow_actions. Based on workflow_execution access: the
--              execution's owner (and admins) read its actions and record new ones as themselves. The log is
--              append-only for users: only admins correct or remove entries.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_actions enable row level security;

drop policy if exists "Users can view actions of their executions" on public.workflow_actions;
drop policy if exists "Users can record actions on their executions" on public.workflow_actions;
drop policy if exists "Admins can update actions" on public.workflow_actions;
drop policy if exists "Admins can delete actions" on public.workflow_actions;

create policy "Users can view actions of their executions"
  on public.workflow_actions for select to authenticated
  using (public.can_access_execution(workflow_execution_id));

create policy "Users can record actions on their executions"
  on public.workflow_actions for insert to authenticated
  with check (
    performed_by = (select auth.uid())
    and public.can_access_execution(workflow_execution_id)
  );

create policy "Admins can update actions"
  on public.workflow_actions for update to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));

create policy "Admins can delete actions"
  on public.workflow_actions for delete to authenticated
  using ((select public.is_admin()));
