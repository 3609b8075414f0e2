-- Policies: workflow_shares_rls.sql
-- Description: Row Level Security for public.workflow_shares. Shares are visible to the sharer, the recipient and the workflow's owner. Only the
--              workflow's owner shares it (as themselves) and changes a share's permission; the sharer, the
--              owner and the recipient (to leave) delete it.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflow_shares enable row level security;

drop policy if exists "Participants can view shares" on public.workflow_shares;
drop policy if exists "Workflow owners can share workflows" on public.workflow_shares;
drop policy if exists "Workflow owners can change shares" on public.workflow_shares;
drop policy if exists "Participants can remove shares" on public.workflow_shares;

create policy "Participants can view shares"
  on public.workflow_shares
  for select
  to authenticated
  using (
    shared_by = (select auth.uid())
    or shared_with = (select auth.uid())
    or public.is_workflow_owner(workflow_id)
  );

create policy "Workflow owners can share workflows"
  on public.workflow_shares
  for insert
  to authenticated
  with check (shared_by = (select auth.uid()) and public.is_workflow_owner(workflow_id));

create policy "Workflow owners can change shares"
  on public.workflow_shares
  for update
  to authenticated
  using (public.is_workflow_owner(workflow_id))
  with check (public.is_workflow_owner(workflow_id));

create policy "Participants can remove shares"
  on public.workflow_shares
  for delete
  to authenticated
  using (
    shared_by = (select auth.uid())
    or shared_with = (select auth.uid())
    or public.is_workflow_owner(workflow_id)
  );
