-- Policies: workflow_nodes_rls.sql
-- Description: Row Level Security for public.workflow_nodes. The nodes of a workflow follow the workflow: whoever can view the workflow (anon included,
--              for public workflows) reads them; whoever can edit it creates, changes and deletes them.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_nodes enable row level security;

drop policy if exists "Workflow viewers can read nodes" on public.workflow_nodes;
drop policy if exists "Workflow editors can add nodes" on public.workflow_nodes;
drop policy if exists "Workflow editors can update nodes" on public.workflow_nodes;
drop policy if exists "Workflow editors can delete nodes" on public.workflow_nodes;

create policy "Workflow viewers can read nodes"
  on public.workflow_nodes
  for select
  to anon, authenticated
  using (public.can_view_workflow(workflow_id));

create policy "Workflow editors can add nodes"
  on public.workflow_nodes
  for insert
  to authenticated
  with check (public.can_edit_workflow(workflow_id));

create policy "Workflow editors can update nodes"
  on public.workflow_nodes
  for update
  to authenticated
  using (public.can_edit_workflow(workflow_id))
  with check (public.can_edit_workflow(workflow_id));

create policy "Workflow editors can delete nodes"
  on public.workflow_nodes
  for delete
  to authenticated
  using (public.can_edit_workflow(workflow_id));
