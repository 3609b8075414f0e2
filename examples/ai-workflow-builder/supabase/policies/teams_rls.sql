-- Policies: teams_rls.sql
-- Description: Row Level Security for public.teams. Members see their teams; anyone may create a team they own; owners and team admins update
--              it; only the owner deletes it.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.teams enable row level security;

drop policy if exists "Members can view their teams" on public.teams;
drop policy if exists "Users can create teams they own" on public.teams;
drop policy if exists "Team owners and admins can update teams" on public.teams;
drop policy if exists "Team owners can delete teams" on public.teams;

create policy "Members can view their teams"
  on public.teams
  for select
  to authenticated
  using (owner_id = (select auth.uid()) or public.is_team_member(id));

create policy "Users can create teams they own"
  on public.teams
  for insert
  to authenticated
  with check (owner_id = (select auth.uid()));

create policy "Team owners and admins can update teams"
  on public.teams
  for update
  to authenticated
  using (owner_id = (select auth.uid()) or public.has_team_role(id, 'admin'))
  with check (owner_id = (select auth.uid()) or public.has_team_role(id, 'admin'));

create policy "Team owners can delete teams"
  on public.teams
  for delete
  to authenticated
  using (owner_id = (select auth.uid()));
