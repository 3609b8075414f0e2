-- Policies: teams_rls.sql
-- Description: Row Level Security for public.teams. Members (and the owner) see their teams; owners and team admins edit them; only the owner
--              deletes a team; admins manage all teams.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.teams enable row level security;

drop policy if exists "Team members can view their teams" on public.teams;
drop policy if exists "Users can create teams they own" on public.teams;
drop policy if exists "Team owners and admins can update teams" on public.teams;
drop policy if exists "Team owners can delete teams" on public.teams;
drop policy if exists "Admins can manage all teams" on public.teams;

create policy "Team members can view their teams"
  on public.teams
  for select
  to authenticated
  using (owner_id = (select auth.uid()) or public.is_team_member(id));

create policy "Users can create teams they own"
  on public.teams
  for insert
  to authenticated
  with check (owner_id = (select auth.uid()) and (select public.is_live_user()));

create policy "Team owners and admins can update teams"
  on public.teams
  for update
  to authenticated
  using (owner_id = (select auth.uid()) or public.is_team_admin(id))
  with check (owner_id = (select auth.uid()) or public.is_team_admin(id));

create policy "Team owners can delete teams"
  on public.teams
  for delete
  to authenticated
  using (owner_id = (select auth.uid()));

create policy "Admins can manage all teams"
  on public.teams
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
