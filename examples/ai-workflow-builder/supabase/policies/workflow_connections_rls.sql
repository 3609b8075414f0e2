-- Policies: workflow_connections_rls.sql
-- Description: Row Level Security for public.workflow_connections. The connections of a workflow follow the workflow: whoever can view the workflow (anon included,
--              for public workflows) reads them; whoever can edit it creates, changes and deletes them.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_connections enable row level security;

drop policy if exists "Workflow viewers can read connections" on public.workflow_connections;
drop policy if exists "Workflow editors can add connections" on public.workflow_connections;
drop policy if exists "Workflow editors can update connections" on public.workflow_connections;
drop policy if exists "Workflow editors can delete connections" on public.workflow_connections;

create policy "Workflow viewers can read connections"
  on public.workflow_connections
  for select
  to anon, authenticated
  using (public.can_view_workflow(workflow_id));

create policy "Workflow editors can add connections"
  on public.workflow_connections
  for insert
  to authenticated
  with check (public.can_edit_workflow(workflow_id));

create policy "Workflow editors can update connections"
  on public.workflow_connections
  for update
  to authenticated
  using (public.can_edit_workflow(workflow_id))
  with check (public.can_edit_workflow(workflow_id));

create policy "Workflow editors can delete connections"
  on public.workflow_connections
  for delete
  to authenticated
  using (public.can_edit_workflow(workflow_id));
