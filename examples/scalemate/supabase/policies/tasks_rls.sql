-- Policies: tasks_rls.sql
-- Description: Row Level Security for public.tasks. Whoever can read a workflow (its creator, its team's members) reads and creates its tasks;
--              assignees also read their own tasks; assignees, creators and the workflow's managers update them;
--              creators and managers delete them; admins manage all tasks.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.tasks enable row level security;

drop policy if exists "Team members can read tasks" on public.tasks;
drop policy if exists "Assignees can read their tasks" on public.tasks;
drop policy if exists "Team members can create tasks" on public.tasks;
drop policy if exists "Assignees, creators and managers can update tasks" on public.tasks;
drop policy if exists "Creators and managers can delete tasks" on public.tasks;
drop policy if exists "Admins can manage all tasks" on public.tasks;

create policy "Team members can read tasks"
  on public.tasks
  for select
  to authenticated
  using (public.can_read_workflow(workflow_id));

create policy "Assignees can read their tasks"
  on public.tasks
  for select
  to authenticated
  using (assigned_to = (select auth.uid()));

create policy "Team members can create tasks"
  on public.tasks
  for insert
  to authenticated
  with check (created_by = (select auth.uid()) and public.can_read_workflow(workflow_id));

create policy "Assignees, creators and managers can update tasks"
  on public.tasks
  for update
  to authenticated
  using (
    assigned_to = (select auth.uid())
    or created_by = (select auth.uid())
    or public.can_manage_workflow(workflow_id)
  )
  with check (public.can_read_workflow(workflow_id) or assigned_to = (select auth.uid()));

create policy "Creators and managers can delete tasks"
  on public.tasks
  for delete
  to authenticated
  using (created_by = (select auth.uid()) or public.can_manage_workflow(workflow_id));

create policy "Admins can manage all tasks"
  on public.tasks
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
