-- Policies: node_executions_rls.sql
-- Description: Row Level Security for public.node_executions. Node results follow their execution: visible to whoever can see the execution;
--              written by the user who ran it. They are deleted with their execution (cascade).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.node_executions enable row level security;

drop policy if exists "Execution viewers can view node results" on public.node_executions;
drop policy if exists "Runners can record node results" on public.node_executions;
drop policy if exists "Runners can update node results" on public.node_executions;

create policy "Execution viewers can view node results"
  on public.node_executions
  for select
  to authenticated
  using (public.can_view_execution(execution_id));

create policy "Runners can record node results"
  on public.node_executions
  for insert
  to authenticated
  with check (
    exists (
      select 1 from public.workflow_executions e
      where e.id = node_executions.execution_id and e.user_id = (select auth.uid())
    )
  );

create policy "Runners can update node results"
  on public.node_executions
  for update
  to authenticated
  using (
    exists (
      select 1 from public.workflow_executions e
      where e.id = node_executions.execution_id and e.user_id = (select auth.uid())
    )
  )
  with check (
    exists (
      select 1 from public.workflow_executions e
      where e.id = node_executions.execution_id and e.user_id = (select auth.uid())
    )
  );
