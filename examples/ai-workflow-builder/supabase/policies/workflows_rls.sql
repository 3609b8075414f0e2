-- Policies: workflows_rls.sql
-- Description: Row Level Security for public.workflows. Owners see their workflows; public workflows are readable by everyone, anon included;
--              team members see their teams' workflows; share recipients see workflows shared with them. Owners,
--              team editors (and above) and 'edit' share recipients update; owners and team admins delete.
--              Owner, team and visibility changes are reserved to the owner (guard_workflow_ownership trigger).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflows enable row level security;

drop policy if exists "Public workflows are viewable by everyone" on public.workflows;
drop policy if exists "Users can view their own workflows" on public.workflows;
drop policy if exists "Team members can view team workflows" on public.workflows;
drop policy if exists "Users can view workflows shared with them" on public.workflows;
drop policy if exists "Users can create their own workflows" on public.workflows;
drop policy if exists "Owners, team editors and edit shares can update workflows" on public.workflows;
drop policy if exists "Owners and team admins can delete workflows" on public.workflows;

create policy "Public workflows are viewable by everyone"
  on public.workflows
  for select
  to anon, authenticated
  using (is_public);

create policy "Users can view their own workflows"
  on public.workflows
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Team members can view team workflows"
  on public.workflows
  for select
  to authenticated
  using (team_id is not null and public.is_team_member(team_id));

create policy "Users can view workflows shared with them"
  on public.workflows
  for select
  to authenticated
  using (public.has_workflow_share(id, 'view'));

create policy "Users can create their own workflows"
  on public.workflows
  for insert
  to authenticated
  with check (
    user_id = (select auth.uid())
    and (team_id is null or public.has_team_role(team_id, 'editor'))
  );

create policy "Owners, team editors and edit shares can update workflows"
  on public.workflows
  for update
  to authenticated
  using (
    user_id = (select auth.uid())
    or (team_id is not null and public.has_team_role(team_id, 'editor'))
    or public.has_workflow_share(id, 'edit')
  )
  with check (
    user_id = (select auth.uid())
    or (team_id is not null and public.has_team_role(team_id, 'editor'))
    or public.has_workflow_share(id, 'edit')
  );

create policy "Owners and team admins can delete workflows"
  on public.workflows
  for delete
  to authenticated
  using (
    user_id = (select auth.uid())
    or (team_id is not null and public.has_team_role(team_id, 'admin'))
  );
