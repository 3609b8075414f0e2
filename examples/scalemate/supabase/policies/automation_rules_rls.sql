-- Policies: automation_rules_rls.sql
-- Description: Row Level Security for public.automation_rules. Personal rules (no workflow_id) are visible to their creator only; rules attached to
--              a workflow are visible to everyone who can read that workflow and are managed by its creator and
--              team owners/admins; admins manage all rules.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.automation_rules enable row level security;

drop policy if exists "Users can read their own rules" on public.automation_rules;
drop policy if exists "Team members can read workflow rules" on public.automation_rules;
drop policy if exists "Users can create rules" on public.automation_rules;
drop policy if exists "Rule owners and workflow managers can update rules" on public.automation_rules;
drop policy if exists "Rule owners and workflow managers can delete rules" on public.automation_rules;
drop policy if exists "Admins can manage all rules" on public.automation_rules;

create policy "Users can read their own rules"
  on public.automation_rules
  for select
  to authenticated
  using (created_by = (select auth.uid()));

create policy "Team members can read workflow rules"
  on public.automation_rules
  for select
  to authenticated
  using (workflow_id is not null and public.can_read_workflow(workflow_id));

create policy "Users can create rules"
  on public.automation_rules
  for insert
  to authenticated
  with check (
    created_by = (select auth.uid())
    and (select public.is_live_user())
    and (workflow_id is null or public.can_manage_workflow(workflow_id))
  );

create policy "Rule owners and workflow managers can update rules"
  on public.automation_rules
  for update
  to authenticated
  using (
    created_by = (select auth.uid())
    or (workflow_id is not null and public.can_manage_workflow(workflow_id))
  )
  with check (
    (workflow_id is null and created_by = (select auth.uid()))
    or (workflow_id is not null and public.can_manage_workflow(workflow_id))
  );

create policy "Rule owners and workflow managers can delete rules"
  on public.automation_rules
  for delete
  to authenticated
  using (
    created_by = (select auth.uid())
    or (workflow_id is not null and public.can_manage_workflow(workflow_id))
  );

create policy "Admins can manage all rules"
  on public.automation_rules
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
