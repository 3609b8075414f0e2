-- Policies: workflows_rls.sql
-- Description: Row Level Security for public.workflows. Team-based access (seed document's template): team members read the team's
--              workflows, team owners/admins update and delete them; creators always see and manage their own
--              (personal workflows have no team); admins manage all workflows.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflows enable row level security;

drop policy if exists "Team members can read workflows" on public.workflows;
drop policy if exists "Creators can read their workflows" on public.workflows;
drop policy if exists "Team members can create workflows" on public.workflows;
drop policy if exists "Team owners and admins can update workflows" on public.workflows;
drop policy if exists "Team owners and admins can delete workflows" on public.workflows;
drop policy if exists "Admins can manage all workflows" on public.workflows;

create policy "Team members can read workflows"
  on public.workflows
  for select
  to authenticated
  using (team_id is not null and public.is_team_member(team_id));

create policy "Creators can read their workflows"
  on public.workflows
  for select
  to authenticated
  using (created_by = (select auth.uid()));

create policy "Team members can create workflows"
  on public.workflows
  for insert
  to authenticated
  with check (
    created_by = (select auth.uid())
    and (select public.is_live_user())
    and (team_id is null or public.is_team_member(team_id))
  );

create policy "Team owners and admins can update workflows"
  on public.workflows
  for update
  to authenticated
  using (
    created_by = (select auth.uid())
    or (team_id is not null and public.is_team_admin(team_id))
  )
  with check (
    (created_by = (select auth.uid()) or (team_id is not null and public.is_team_admin(team_id)))
    and (team_id is null or public.is_team_member(team_id))
  );

create policy "Team owners and admins can delete workflows"
  on public.workflows
  for delete
  to authenticated
  using (
    created_by = (select auth.uid())
    or (team_id is not null and public.is_team_admin(team_id))
  );

create policy "Admins can manage all workflows"
  on public.workflows
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
