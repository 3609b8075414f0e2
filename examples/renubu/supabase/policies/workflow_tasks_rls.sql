-- Policies: workflow_tasks_rls.sql
-- Description: Row Level Security for public.workflow_tasks. Based on workflow_execution access
--              (can_access_execution: the execution's owner or an admin); the assignee of a task also sees and
--              updates it (but cannot reassign it away from the execution's control).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_tasks enable row level security;

drop policy if exists "Users can view tasks of their executions" on public.workflow_tasks;
drop policy if exists "Assignees can view their tasks" on public.workflow_tasks;
drop policy if exists "Users can create tasks in their executions" on public.workflow_tasks;
drop policy if exists "Users can update tasks of their executions" on public.workflow_tasks;
drop policy if exists "Assignees can update their tasks" on public.workflow_tasks;
drop policy if exists "Users can delete tasks of their executions" on public.workflow_tasks;

create policy "Users can view tasks of their executions"
  on public.workflow_tasks for select to authenticated
  using (public.can_access_execution(workflow_execution_id));

create policy "Assignees can view their tasks"
  on public.workflow_tasks for select to authenticated
  using (assigned_to = (select auth.uid()));

create policy "Users can create tasks in their executions"
  on public.workflow_tasks for insert to authenticated
  with check (public.can_access_execution(workflow_execution_id));

create policy "Users can update tasks of their executions"
  on public.workflow_tasks for update to authenticated
  using (public.can_access_execution(workflow_execution_id))
  with check (public.can_access_execution(workflow_execution_id));

create policy "Assignees can update their tasks"
  on public.workflow_tasks for update to authenticated
  using (assigned_to = (select auth.uid()))
  with check (assigned_to = (select auth.uid()));

create policy "Users can delete tasks of their executions"
  on public.workflow_tasks for delete to authenticated
  using (public.can_access_execution(workflow_execution_id));
